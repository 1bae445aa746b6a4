"""scripts/supervise.py with the real action server, web app and notifier (issue 14 findings 3 and 4,
issue 13 "a killed action server doesn't come back cleanly"). The engine is left down throughout, so
the web chat must keep giving the static safety message whatever else is killed."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from core.store.crypto import generate_key
from tests.conftest import ROOT, free_port


class Supervised:
    def __init__(self, tmp: Path) -> None:
        self.actions_port, self.web_port = free_port(), free_port()
        self.lines: list[str] = []
        procfile = tmp / "Procfile"
        procfile.write_text(
            f"actions: .venv-app/bin/python -m rasa_sdk --actions actions --port {self.actions_port}\n"
            f"actions.health: http://127.0.0.1:{self.actions_port}/health 20\n"
            f"web: .venv-app/bin/gunicorn --bind 127.0.0.1:{self.web_port} --workers 1 casebook.wsgi:app\n"
            "notifier: .venv-app/bin/python -m channels.notifier\n"
        )
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "SANIC_HOST": "127.0.0.1",
            "SG_DATA_DIR": str(tmp),
            "SG_DATABASE_URL": f"sqlite:///{tmp / 'sg.db'}",
            "SG_ENCRYPTION_KEYS": generate_key(),
            "SG_SECRET_KEY": "supervisor-test",
            "SG_RASA_URL": f"http://127.0.0.1:{free_port()}",  # nothing listens: the engine is down
            "SG_ENGINE_TIMEOUT": "2",
        }
        subprocess.run([sys.executable, "-m", "core.store.migrate"], env=env, cwd=ROOT, check=True)
        self.proc = subprocess.Popen(
            [sys.executable, "scripts/supervise.py", str(procfile)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    def pids(self, name: str) -> list[int]:
        return [
            int(m[1])
            for line in list(self.lines)
            if (m := re.search(rf"supervise \| {name} started \(pid (\d+)\)", line))
        ]

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(30)


def wait_for(check: Callable[[], object], seconds: float) -> float:
    """Seconds until check() is truthy; fails the test after `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if check():
                return time.monotonic() - started
        except requests.RequestException:
            pass
        time.sleep(0.2)
    pytest.fail(f"not within {seconds} s")


def group_members(pgid: int) -> list[int]:
    out = subprocess.run(["ps", "-eo", "pid=,pgid=,stat="], capture_output=True, text=True).stdout.split("\n")
    return [int(p) for p, g, s in (line.split() for line in out if line.strip()) if int(g) == pgid and "Z" not in s]


def safety_reply(sup: Supervised) -> str:
    """A person on the web chat: load the page, then send a message through the API."""
    base = f"http://127.0.0.1:{sup.web_port}"
    with requests.Session() as browser:
        page = browser.get(base + "/", timeout=5)
        found = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
        assert found, "no CSRF token on the chat page"
        token = found[1]
        reply = browser.post(base + "/chat/api", json={"message": "help"}, headers={"X-CSRFToken": token}, timeout=10)
    return reply.json()["replies"][0]["text"]


def actions_ok(sup: Supervised) -> bool:
    return requests.get(f"http://127.0.0.1:{sup.actions_port}/health", timeout=2).ok


@pytest.fixture(scope="module")
def sup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Supervised]:
    supervised = Supervised(tmp_path_factory.mktemp("supervised"))
    try:
        wait_for(lambda: actions_ok(supervised) and "999" in safety_reply(supervised), 90)
        yield supervised
    finally:
        supervised.stop()


def test_a_killed_notifier_is_restarted_and_the_web_chat_keeps_answering(sup: Supervised) -> None:
    first = sup.pids("notifier")[-1]
    os.kill(first, signal.SIGKILL)
    assert "999" in safety_reply(sup) and "Childline 0800 1111" in safety_reply(sup)
    wait_for(lambda: sup.pids("notifier")[-1] != first, 15)
    assert actions_ok(sup)


def test_a_killed_web_app_comes_back(sup: Supervised) -> None:
    first = sup.pids("web")[-1]
    os.kill(first, signal.SIGKILL)
    took = wait_for(lambda: sup.pids("web")[-1] != first and "Childline 0800 1111" in safety_reply(sup), 30)
    print(f"web chat answering again {took:.1f} s after its process was killed")


def test_a_killed_action_server_main_process_takes_its_workers_with_it_and_comes_back(sup: Supervised) -> None:
    main = sup.pids("actions")[-1]
    workers = [p for p in group_members(main) if p != main]
    assert workers, "rasa_sdk runs Sanic workers in its process group"
    os.kill(main, signal.SIGKILL)
    wait_for(lambda: not any(p in group_members(main) for p in workers), 15)
    took = wait_for(lambda: sup.pids("actions")[-1] != main and actions_ok(sup), 60)
    assert "Address already in use" not in "".join(sup.lines)
    print(f"action server answering again {took:.1f} s after its main process was killed")


def test_a_hung_action_server_is_restarted(sup: Supervised) -> None:
    main = sup.pids("actions")[-1]
    workers = [p for p in group_members(main) if p != main]
    for worker in workers:  # hung workers: the main process keeps the port, nothing answers
        os.kill(worker, signal.SIGSTOP)
    took = wait_for(lambda: sup.pids("actions")[-1] != main and actions_ok(sup), 120)
    assert not any(p in group_members(main) for p in workers)
    print(f"action server answering again {took:.1f} s after its workers hung")
