"""Runs the assistant's processes and keeps them running: `python scripts/supervise.py PROCFILE`.

Replaces honcho, which stops every process when one exits (killing the notifier took the web chat down
with it). Here each process runs in a process group of its own; when it exits, or its health URL stops
answering, the whole group is stopped (the action server's Sanic workers outlive a killed main process
and hold its port) and started again after a back-off. Ctrl-C or SIGTERM stops every group.

Procfile lines: `name: command`, and optionally `name.health: URL [GRACE]`: checked every 5 s once the
process has been up GRACE seconds (30 by default; the engine needs about a minute to load); three
failures in a row restart it.
Only standard library: it must run when everything else is broken.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

CHECK_EVERY = 5.0
FAILURES_BEFORE_RESTART = 3
STOP_WAIT = 8.0
MAX_BACKOFF = 30.0
STABLE_AFTER = 60.0  # up this long: the next crash restarts at once again


def say(line: str) -> None:
    sys.stdout.write(f"{time.strftime('%H:%M:%S')} supervise | {line}\n")
    sys.stdout.flush()


@dataclass
class Process:
    name: str
    command: str
    health: str | None = None
    grace: float = 30.0
    popen: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restart_at: float = 0.0
    backoff: float = 1.0
    failures: int = 0
    next_check: float = 0.0

    def start(self) -> None:
        # A new session makes the process the leader of its own group, so stop() reaches every worker.
        # No shell in between, so the pid is the process itself; leading NAME=value words set its environment.
        words = shlex.split(self.command)
        env = dict(os.environ)
        while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]):
            name, _, value = words.pop(0).partition("=")
            env[name] = value
        self.popen = subprocess.Popen(
            words, env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        self.started_at = time.monotonic()
        self.failures = 0
        threading.Thread(target=self._relay, args=(self.popen,), daemon=True).start()
        say(f"{self.name} started (pid {self.popen.pid})")

    def _relay(self, popen: subprocess.Popen[bytes]) -> None:
        assert popen.stdout is not None
        for raw in popen.stdout:
            sys.stdout.write(f"{self.name:>9} | {raw.decode(errors='replace').rstrip()}\n")
            sys.stdout.flush()

    def stop(self) -> None:
        """Stop the whole group: TERM, then KILL whatever is left after STOP_WAIT seconds."""
        if self.popen is None:
            return
        pgid = self.popen.pid
        _signal_group(pgid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_WAIT
        while time.monotonic() < deadline and _group_alive(pgid):
            self.popen.poll()
            time.sleep(0.1)
        _signal_group(pgid, signal.SIGKILL)
        self.popen.wait()
        self.popen = None

    def healthy(self, now: float) -> bool:
        """False after FAILURES_BEFORE_RESTART failed checks in a row (a hung process still has a pid)."""
        if not self.health or now - self.started_at < self.grace or now < self.next_check:
            return True
        self.next_check = now + CHECK_EVERY
        try:
            with urllib.request.urlopen(self.health, timeout=3) as response:
                ok = response.status < 500
        except Exception:
            ok = False
        self.failures = 0 if ok else self.failures + 1
        return self.failures < FAILURES_BEFORE_RESTART


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, sig)


def _group_alive(pgid: int) -> bool:
    """Any live (not zombie) process left in the group? Orphaned workers may never be reaped in a container."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _ppid, group = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, IndexError):
            continue
        if int(group) == pgid and state != "Z":
            return True
    return False


def read_procfile(path: Path) -> list[Process]:
    processes: dict[str, Process] = {}
    health: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, _, value = line.partition(":")
        name, value = name.strip(), value.strip()
        if name.endswith(".health"):
            health[name.removesuffix(".health")] = value
        else:
            processes[name] = Process(name, value)
    for name, check in health.items():
        url, *grace = check.split()
        processes[name].health = url
        processes[name].grace = float(grace[0]) if grace else processes[name].grace
    return list(processes.values())


def supervise(processes: list[Process]) -> None:
    stopping = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    for process in processes:
        process.start()
    while not stopping.wait(0.5):
        now = time.monotonic()
        for p in processes:
            if p.popen is None:
                if now >= p.restart_at:
                    p.start()
                continue
            code = p.popen.poll()
            if code is None and p.healthy(now):
                continue
            reason = f"exited with {code}" if code is not None else f"not answering {p.health}"
            p.stop()
            p.backoff = 1.0 if now - p.started_at > STABLE_AFTER else min(p.backoff * 2, MAX_BACKOFF)
            p.restart_at = time.monotonic() + p.backoff
            say(f"{p.name} {reason}: its process group stopped; restarting in {p.backoff:.0f} s")
    say("stopping every process")
    for p in processes:
        p.stop()


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: supervise.py PROCFILE")
    supervise(read_procfile(Path(sys.argv[1])))


if __name__ == "__main__":
    main()
