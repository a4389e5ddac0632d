"""The municipality's data files (action cards, rules, notifier sectors): read when changed.

Each file is TOML the municipality may edit while the app runs. It is loaded at start, so a
broken file stops the app with a message naming the problem; later it is read again when
its modification time changes, and a file broken while the app runs is logged and the last
good version kept, so a typo never takes the case pages down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from flask import current_app

log = logging.getLogger(__name__)

T = TypeVar("T")


class DataFile(Generic[T]):
    """One kind of data file: where it is configured, how it is read, what it is called."""

    def __init__(
        self,
        what: str,
        setting: str,
        default: Path,
        load: Callable[[Path], T],
        error: type[Exception],
    ) -> None:
        self.what = what  # "the action cards file": for messages
        self.setting = setting  # the config key naming the municipality's own file
        self.default = default
        self.load = load
        self.error = error
        self._read: dict[Path, tuple[float, T]] = {}

    def configured_path(self) -> Path:
        """Return the file the app uses: the setting's, else the shipped default."""
        name = current_app.config[self.setting]
        return Path(name) if name else self.default

    def current(self) -> T:
        """Return the file's contents, read again when the file has changed."""
        path = self.configured_path()
        last = self._read.get(path)
        try:
            mtime = path.stat().st_mtime
            if last is None or last[0] != mtime:
                last = (mtime, self.load(path))
                self._read[path] = last
        except (OSError, self.error) as exc:
            if last is None:
                raise self.error(f"Cannot use {self.what} {path}: {exc}") from exc
            log.error("Keeping the last good version of %s: %s", self.what, exc)
        return last[1]

    def check_at_startup(self, app) -> None:
        """Load the configured file once, so a broken file stops the app at start."""
        with app.app_context():
            self.current()
