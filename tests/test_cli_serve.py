"""``euroffshore serve`` stops on Ctrl-C with exit status 0 (no error from ``make run``)."""

from __future__ import annotations

from typing import Any

import pytest

from app import cli


def test_serve_exits_zero_when_interrupted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    def interrupted(*_args: Any, **_kwargs: Any) -> None:
        raise KeyboardInterrupt  # what uvicorn re-raises after its clean shutdown

    monkeypatch.setattr(uvicorn, "run", interrupted)
    assert cli.main(["serve", "--port", "8123"]) == 0
    assert "server stopped" in capsys.readouterr().out
