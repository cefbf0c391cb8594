"""The example instance of docs/scheduling-format.md runs through the engine and the CLI,
and its result keeps every rule of the format."""

from __future__ import annotations

import json

from app.scheduling.cli import main
from tests.scheduling.helpers import REPO, check, run

EXAMPLE = REPO / "docs" / "examples" / "small-event.json"


def test_example_instance_gives_a_valid_result():
    data = json.loads(EXAMPLE.read_text())
    res = run(data, time_limit=3.0)
    check(data, res)
    assert res["objective"]["required_unscheduled"] == 0
    assert res["status"] in ("optimal", "feasible")


def test_example_instance_runs_through_the_cli(tmp_path):
    out = tmp_path / "result.json"
    assert main([str(EXAMPLE), "-o", str(out), "--time-limit", "3"]) == 0
    res = json.loads(out.read_text())
    check(json.loads(EXAMPLE.read_text()), res)
