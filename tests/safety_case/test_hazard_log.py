"""The hazard log's evidence still exists, its shape is sound, and the rendered log matches its YAML."""

from __future__ import annotations

from pathlib import Path

from scripts import hazard_log

DATA = hazard_log.load()


def test_the_hazard_log_is_well_formed() -> None:
    found = hazard_log.problems(DATA)
    assert not found, "docs/safety/hazards.yml:\n  " + "\n  ".join(found)


def test_every_piece_of_evidence_still_exists() -> None:
    broken = hazard_log.broken_references(DATA)
    assert not broken, (
        f"{len(broken)} evidence reference(s) in docs/safety/hazards.yml no longer resolve; point each at "
        "the test, step or file that now shows the control works (or remove the claim):\n  " + "\n  ".join(broken)
    )


def test_the_rendered_log_is_up_to_date() -> None:
    assert hazard_log.RENDERED.read_text(encoding="utf-8") == hazard_log.render(DATA), (
        "docs/safety/hazard-log.md is stale: run .venv-app/bin/python scripts/hazard_log.py"
    )


def test_every_hazard_has_evidence_that_runs() -> None:
    # A file alone proves nothing; each hazard needs something that runs in CI or `make bench`.
    runs = {"test", "story", "ci", "behaviour", "bench"}
    for hazard in DATA["hazards"]:
        kinds = {hazard_log.evidence_kind(e)[0] for c in hazard["controls"] for e in c["evidence"]}
        assert kinds & runs, hazard["id"]


def _tree(root: Path) -> None:
    (root / "tests" / "x").mkdir(parents=True)
    (root / "tests" / "x" / "test_a.py").write_text(
        "import pytest\n\n"
        "class TestA:\n    def test_b(self):\n        pass\n\n"
        "@pytest.mark.parametrize('n', [1])\nasync def test_c(n):\n    pass\n",
        encoding="utf-8",
    )
    (root / "tests" / "x" / "stories.yml").write_text("stories:\n  - story: a child is heard\n", encoding="utf-8")
    (root / "scripts").mkdir()
    (root / "scripts" / "test.sh").write_text('step "served model: acceptance cases"\n', encoding="utf-8")


def _log(*evidence: dict) -> dict:
    return {"hazards": [{"id": "H01", "controls": [{"control": "c", "evidence": list(evidence)}]}]}


def test_the_check_resolves_classes_parametrised_tests_stories_and_steps(tmp_path: Path) -> None:
    _tree(tmp_path)
    log = _log(
        {"test": "tests/x/test_a.py::TestA::test_b"},
        {"test": "tests/x/test_a.py::test_c[1]"},
        {"test": "tests/x/test_a.py::test_c"},
        {"story": "tests/x/stories.yml::a child is heard"},
        {"ci": "served model"},
    )
    assert hazard_log.broken_references(log, tmp_path) == []


def test_a_removed_test_and_every_other_broken_reference_are_listed_at_once(tmp_path: Path) -> None:
    _tree(tmp_path)
    log = _log(
        {"test": "tests/x/test_a.py::test_c"},
        {"test": "tests/x/test_a.py::TestA::test_gone"},
        {"test": "tests/x/test_moved.py::test_c"},
        {"story": "tests/x/stories.yml::a story nobody wrote"},
        {"ci": "a step that was renamed"},
        {"bench": "bench/gone.py"},
        {"file": "README.md", "ci": "served model"},
    )
    (tmp_path / "tests" / "x" / "test_a.py").write_text("def test_other():\n    pass\n", encoding="utf-8")
    assert hazard_log.broken_references(log, tmp_path) == [
        "H01 control 1: test tests/x/test_a.py::test_c: no test test_c in tests/x/test_a.py",
        "H01 control 1: test tests/x/test_a.py::TestA::test_gone: no test TestA in tests/x/test_a.py",
        "H01 control 1: test tests/x/test_moved.py::test_c: no file tests/x/test_moved.py",
        "H01 control 1: story tests/x/stories.yml::a story nobody wrote: "
        "no story or rule 'a story nobody wrote' in tests/x/stories.yml",
        "H01 control 1: ci a step that was renamed: no step with these words in scripts/test.sh",
        "H01 control 1: bench bench/gone.py: no file bench/gone.py",
        "H01 control 1: {'file': 'README.md', 'ci': 'served model'}: "
        "needs exactly one of test, story, ci, behaviour, bench, file",
    ]
