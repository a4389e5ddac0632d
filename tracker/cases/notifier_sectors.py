"""The notifier sectors (hvem underretter) as data the municipality can adjust.

A TOML file, by default tracker/cases/notifier_sectors_default.toml, or the file named by
config NOTIFIER_SECTORS_FILE (TRACKER_NOTIFIER_SECTORS_FILE): for each sector a stable
`key` (stored on the case), a Danish `label` and whether it is `retired` (no longer
offered, still named). Checked when loaded; a problem raises NotifierSectorsError naming
the file, the key and what is wrong, and check_at_startup() makes a broken file stop the
app at start, like the rules file and the action cards.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tracker.cases.data_files import DataFile
from tracker.models.cases import NOTIFIER_SECTOR_LENGTH

DEFAULT_FILE = Path(__file__).with_name("notifier_sectors_default.toml")
FORMAT = 1
KEY_PATTERN = re.compile(rf"[a-z][a-z0-9_]{{0,{NOTIFIER_SECTOR_LENGTH - 1}}}")
LABEL_LENGTH = 80


class NotifierSectorsError(ValueError):
    """The sectors file is missing or malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Sector:
    """One notifier sector: its stored key, its Danish label, whether it is still offered."""

    key: str
    label: str
    retired: bool = False


@dataclass(frozen=True)
class NotifierSectors:
    """The sectors in the file's order."""

    sectors: tuple[Sector, ...]

    @property
    def offered(self) -> list[Sector]:
        """Return the sectors a new registration may choose."""
        return [sector for sector in self.sectors if not sector.retired]

    @property
    def labels(self) -> dict[str, str]:
        """Return every sector's label by key, retired ones included."""
        return {sector.key: sector.label for sector in self.sectors}

    def is_offered(self, key: str) -> bool:
        """Tell whether a new registration may choose this key."""
        return any(sector.key == key for sector in self.offered)


def load(path: Path) -> NotifierSectors:
    """Read and check a sectors file (TOML)."""
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise NotifierSectorsError(f"Cannot read the notifier sectors file {path}: {exc}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise NotifierSectorsError(f"{path}: not valid TOML: {exc}") from exc
    return parse(data, source=str(path))


def parse(data: dict, *, source: str = "sectors") -> NotifierSectors:
    """Build the sectors from decoded data, or raise NotifierSectorsError naming the problem."""

    def fail(key: str, problem: str):
        raise NotifierSectorsError(f"{source}: {key}: {problem}")

    unknown = sorted(set(data) - {"format", "sectors"})
    if unknown:
        fail(unknown[0], "unknown key; known: format, sectors")
    if data.get("format") != FORMAT:
        fail("format", f"must be {FORMAT}")
    items = data.get("sectors")
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        fail("sectors", "needs at least one [[sectors]] table")
    sectors: list[Sector] = []
    for index, item in enumerate(items):
        where = f"sectors[{index}]"
        extra = sorted(set(item) - {"key", "label", "retired"})
        if extra:
            fail(f"{where}.{extra[0]}", "unknown key; known: key, label, retired")
        key, label, retired = item.get("key"), item.get("label"), item.get("retired", False)
        if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
            fail(f"{where}.key", "lower-case letters, digits and '_', starting with a letter")
        if not isinstance(label, str) or not label.strip() or len(label) > LABEL_LENGTH:
            fail(f"{where}.label", f"a text of 1 to {LABEL_LENGTH} characters")
        if not isinstance(retired, bool):
            fail(f"{where}.retired", "must be true or false")
        if any(sector.key == key for sector in sectors):
            fail(f"{where}.key", f"{key!r} is used twice")
        sectors.append(Sector(key=key, label=label.strip(), retired=retired))
    if all(sector.retired for sector in sectors):
        fail("sectors", "at least one sector must not be retired")
    return NotifierSectors(tuple(sectors))


SECTORS_FILE = DataFile(
    "the sectors file", "NOTIFIER_SECTORS_FILE", DEFAULT_FILE, load, NotifierSectorsError
)


def configured_path() -> Path:
    """Return the file the app uses: the municipality's own, else the shipped default."""
    return SECTORS_FILE.configured_path()


def sectors_for_app() -> NotifierSectors:
    """Return the app's notifier sectors, re-read when the file changes (the last good one kept)."""
    return SECTORS_FILE.current()


def check_at_startup(app) -> None:
    """Load the configured file once, so a broken file stops the app at start."""
    SECTORS_FILE.check_at_startup(app)
