"""Invalid instances: exit code 2 and one line on stderr naming the offending field."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from app.scheduling import InstanceError, parse_instance
from app.scheduling.cli import main
from tests.scheduling.helpers import REPO, instance, meeting


def base() -> dict:
    return instance(
        slots=3,
        tables=2,
        participants=[
            {"id": "c1", "side": "client"},
            {"id": "p1", "side": "provider"},
            {"id": "p2"},
        ],
        meetings=[meeting("m1", "c1", "p1", required=True), meeting("m2", "c1", "p2", weight=2.5)],
    )


def mutate(path: list, value) -> dict:
    data = base()
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


DELETE = object()

CASES = [
    ("format", mutate(["format"], "euroffshore-schedule/2")),
    ("format", mutate(["format"], DELETE)),
    ("tables", mutate(["tables"], 0)),
    ("tables", mutate(["tables"], -3)),
    ("tables", mutate(["tables"], 2.5)),
    ("tables", mutate(["tables"], "4")),
    ("tables", mutate(["tables"], True)),
    ("fairness", mutate(["fairness"], -1)),
    ("time_limit_s", mutate(["time_limit_s"], 0)),
    ("time_limit_s", mutate(["time_limit_s"], -5)),
    ("slots[1].id", mutate(["slots", 1, "id"], DELETE)),
    ("slots[1].id", mutate(["slots", 1, "id"], "")),
    ("slots[1].id", mutate(["slots", 1, "id"], "s0")),
    ("participants[1].id", mutate(["participants", 1, "id"], "c1")),
    ("participants[0].id", mutate(["participants", 0, "id"], DELETE)),
    ("participants[2].unavailable[0]", mutate(["participants", 2, "unavailable"], ["zz"])),
    ("participants[0].max_meetings", mutate(["participants", 0, "max_meetings"], -1)),
    ("participants[1].table", mutate(["participants", 1, "table"], 3)),
    ("participants[1].table", mutate(["participants", 1, "table"], 0)),
    ("meetings[1].id", mutate(["meetings", 1, "id"], "m1")),
    ("meetings[0].id", mutate(["meetings", 0, "id"], "")),
    ("meetings[0].a", mutate(["meetings", 0, "a"], "nobody")),
    ("meetings[1].b", mutate(["meetings", 1, "b"], "p-9")),
    ("meetings[0].b", mutate(["meetings", 0, "b"], "c1")),
    ("meetings[1].weight", mutate(["meetings", 1, "weight"], 0)),
    ("meetings[1].weight", mutate(["meetings", 1, "weight"], -2)),
    ("meetings[1].weight", mutate(["meetings", 1, "weight"], "heavy")),
    ("meetings[1].fixed_slot", mutate(["meetings", 1, "fixed_slot"], "s9")),
    ("meetings[1].fixed_table", mutate(["meetings", 1, "fixed_table"], 7)),
    ("slots", mutate(["slots"], DELETE)),
    ("meetings", mutate(["meetings"], {"m1": 1})),
]


@pytest.mark.parametrize(("field", "data"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_invalid_instance_exits_2_naming_the_field(tmp_path, capsys, field, data):
    path = tmp_path / "inst.json"
    path.write_text(json.dumps(data))
    assert main([str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"invalid instance: {field}:"), lines[0]


def test_instance_error_carries_field_and_reason():
    with pytest.raises(InstanceError) as exc:
        parse_instance(mutate(["meetings", 1, "b"], "p-9"))
    assert exc.value.field == "meetings[1].b"
    assert str(exc.value) == 'meetings[1].b: no participant "p-9"'


@pytest.mark.parametrize("text", ["{not json", "", "[1, 2]", "42", '{"format": NaN}'])
def test_not_json_or_not_object_exits_2(tmp_path, capsys, text):
    path = tmp_path / "inst.json"
    path.write_text(text)
    assert main([str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("invalid instance:")


def test_unknown_fields_are_ignored_and_defaults_apply():
    data = base()
    data["product_extra"] = {"min_meetings": 3}
    data["participants"][0]["colour"] = "blue"
    data["meetings"][1].pop("weight")
    inst = parse_instance(data)
    assert inst.meetings[1].weight == 1.0
    assert inst.time_limit_s == 30
    assert inst.fairness is None


def test_duplicate_pair_with_distinct_ids_is_valid():
    data = base()
    data["meetings"].append(meeting("m3", "p1", "c1"))
    parse_instance(copy.deepcopy(data))


def test_module_entry_point_runs_and_rejects(tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(base()))
    out = tmp_path / "res.json"
    proc = subprocess.run(
        [sys.executable, "-m", "app.scheduling", str(good), "-o", str(out), "--time-limit", "3"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    res = json.loads(out.read_text())
    assert res["format"] == "euroffshore-schedule-result/1"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(mutate(["meetings", 1, "b"], "p-9")))
    proc = subprocess.run(
        [sys.executable, "-m", "app.scheduling", str(bad)], cwd=REPO, capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == 'invalid instance: meetings[1].b: no participant "p-9"'
