"""The municipality's action-card file: checked when the app starts, safe to edit while it runs."""

from __future__ import annotations

import os

import pytest

from config import TestConfig
from tracker import create_app
from tracker.cases import action_cards
from tracker.cases.action_cards import DEFAULT_FILE, ActionCardsError


def app_with_cards(path, tmp_path):
    settings = type(
        "CardsConfig",
        (TestConfig,),
        {"ACTION_CARDS_FILE": str(path), "INSTANCE_PATH": str(tmp_path / "instance")},
    )
    return create_app(settings)


def test_a_broken_file_stops_the_app_at_start_with_the_problem_named(tmp_path):
    broken = tmp_path / "cards.toml"
    broken.write_text('municipality = "X"\n[[cards]]\naudience = "myndighed"\n', encoding="utf-8")
    with pytest.raises(ActionCardsError, match="cards"):
        app_with_cards(broken, tmp_path)


def test_a_file_broken_while_running_keeps_the_last_good_cards(tmp_path, caplog):
    path = tmp_path / "cards.toml"
    path.write_text(DEFAULT_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    app = app_with_cards(path, tmp_path)
    with app.app_context():
        good = action_cards.cards_for_app()
        path.write_text("this is [ not toml", encoding="utf-8")
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert action_cards.cards_for_app() is good
    assert "Keeping the last good version of the action cards file" in caplog.text
