"""The rules file: legal bases, § 133 notifiers and local targets, read into a RuleBook.

The rules are data a municipality's jurist can correct, not code: a TOML file, by
default tracker/cases/legal_rules_default.toml, or the file named by config RULES_FILE
(TRACKER_RULES_FILE). It lives here beside the action cards because it is read and
checked the same way, and the use cases and the calculator that need it ask here; the
domain gets the parsed tracker.domain.rulebook.RuleBook and never reads the file.

The file is checked when loaded; a problem raises RulesFileError naming the file, the
key and what is wrong. rules_for_app() returns the app's rule book (re-read when the
file changes, the last good one kept if it breaks while the app runs), and
check_at_startup() makes a broken file stop the app at start.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from tracker.cases.data_files import DataFile
from tracker.domain.adults import TASK_UNITS
from tracker.domain.kinds import BARNETS_LOV_KINDS, DeadlineKind, LegalBasis
from tracker.domain.rulebook import LocalTarget, RuleBook, RulesVersion, Source
from tracker.models.cases import NotifierKind

DEFAULT_FILE = Path(__file__).with_name("legal_rules_default.toml")
FORMAT = 1
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,39}")  # short: version ids go in audit rows
PARAGRAPH_LENGTH = 100  # Deadline.legal_paragraph
TEXT_LENGTH = 300  # Deadline.legal_text


class RulesFileError(ValueError):
    """The rules file is missing or malformed; the message names the file and the key."""


def load(path: Path) -> RuleBook:
    """Read and check a rules file (TOML)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RulesFileError(f"Cannot read the rules file {path}: {exc}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise RulesFileError(f"{path}: not valid TOML: {exc}") from exc
    return parse(data, source=str(path))


def parse(data: dict, *, source: str = "rules") -> RuleBook:
    """Build a RuleBook from decoded data, or raise RulesFileError naming the problem."""
    check = _Checker(source)
    check.keys(data, "", required={"format", "versions"}, optional={"sources"})
    if data["format"] != FORMAT:
        check.fail("format", f"must be {FORMAT}, the format this version of the tracker reads")
    sources = tuple(
        _source(check, item, f"sources[{i}]")
        for i, item in enumerate(check.list_of_tables(data, "sources", "", required=False))
    )
    ids = [s.id for s in sources]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        check.fail("sources", f"source ids must be unique; repeated: {', '.join(duplicates)}")
    versions: list[RulesVersion] = []
    for i, item in enumerate(check.list_of_tables(data, "versions", "")):
        versions.append(_version(check, item, f"versions[{i}]", versions[-1] if versions else None))
        if i and versions[-1].effective_from <= versions[-2].effective_from:
            check.fail(
                f"versions[{i}].effective_from",
                f"must be after the previous version's ({versions[-2].effective_from})",
            )
    version_ids = [v.id for v in versions]
    if len(set(version_ids)) != len(version_ids):
        check.fail("versions", "version ids must be unique")
    for i, version in enumerate(versions):
        for kind, basis in version.bases.items():
            unknown = [s for s in basis.sources if s not in ids]
            if unknown:
                check.fail(
                    f"versions[{i}].kinds.{kind.value}.sources",
                    f"names no entry of [[sources]]: {', '.join(unknown)}",
                )
    return RuleBook(versions=tuple(versions), sources=sources)


def _source(check: _Checker, item: dict, where: str) -> Source:
    check.keys(item, where, required={"id", "title", "url", "read_on", "says"})
    url = check.text(item, "url", where)
    if not url.startswith(("https://", "http://")):
        check.fail(f"{where}.url", "must be a web address (https://...)")
    return Source(
        id=check.identifier(item, "id", where),
        title=check.text(item, "title", where),
        url=url,
        read_on=check.date(item, "read_on", where),
        says=check.text(item, "says", where),
    )


def _version(
    check: _Checker, item: dict, where: str, previous: RulesVersion | None
) -> RulesVersion:
    first = previous is None
    required = {"id", "effective_from", "title"}
    if first:
        required |= {"section_133_notifiers", "local", "kinds"}
    check.keys(item, where, required=required, optional={"section_133_notifiers", "local", "kinds"})
    local = item.get("local", {})
    if not isinstance(local, dict):
        check.fail(f"{where}.local", "must be a table")
    local_keys = {
        "orientation_working_days",
        "receipt_for_private_notifiers",
        "reassessment_hours",
        "adult_tasks",
    }
    check.keys(
        local,
        f"{where}.local",
        required=local_keys - {"adult_tasks", "reassessment_hours"} if first else set(),
        optional=local_keys,
    )
    kinds = item.get("kinds", {})
    if not isinstance(kinds, dict):
        check.fail(f"{where}.kinds", "must be a table with one table per deadline kind")
    known = [k.value for k in DeadlineKind]
    for name in kinds:
        if name not in known:
            check.fail(
                f"{where}.kinds.{name}", f"is not a deadline kind; known: {', '.join(known)}"
            )
    if first:
        missing = sorted(k.value for k in BARNETS_LOV_KINDS if k.value not in kinds)
        if missing:
            check.fail(
                f"{where}.kinds",
                f"the first version needs every kind; missing: {', '.join(missing)}",
            )
    bases = {} if first else dict(previous.bases)
    for name, table in kinds.items():
        kind = DeadlineKind(name)
        bases[kind] = _basis(check, table, f"{where}.kinds.{name}", bases.get(kind))
    if "section_133_notifiers" in item:
        notifiers = frozenset(_notifier_kinds(check, item, where))
    else:
        notifiers = previous.section_133_notifiers
    return RulesVersion(
        id=check.identifier(item, "id", where),
        effective_from=check.date(item, "effective_from", where),
        title=check.text(item, "title", where),
        bases=bases,
        section_133_notifiers=notifiers,
        orientation_working_days=(
            check.integer(local, "orientation_working_days", f"{where}.local", 0, 250)
            if "orientation_working_days" in local
            else previous.orientation_working_days
        ),
        receipt_for_private_notifiers=(
            check.boolean(local, "receipt_for_private_notifiers", f"{where}.local")
            if "receipt_for_private_notifiers" in local
            else previous.receipt_for_private_notifiers
        ),
        reassessment_hours=(
            check.integer(local, "reassessment_hours", f"{where}.local", 1, 2000)
            if "reassessment_hours" in local
            else (RulesVersion.reassessment_hours if first else previous.reassessment_hours)
        ),
        adult_task_targets=(
            _adult_tasks(check, local["adult_tasks"], f"{where}.local.adult_tasks")
            if "adult_tasks" in local
            else ({} if first else previous.adult_task_targets)
        ),
    )


def _basis(check: _Checker, table: Any, where: str, previous: LegalBasis | None) -> LegalBasis:
    if not isinstance(table, dict):
        check.fail(where, "must be a table with paragraph, text, sources and to_confirm")
    fields = {"paragraph", "text", "sources", "to_confirm"}
    check.keys(table, where, required=fields if previous is None else set(), optional=fields)
    paragraph = (
        check.text(table, "paragraph", where, PARAGRAPH_LENGTH)
        if "paragraph" in table
        else previous.paragraph
    )
    if "sources" in table:
        sources = tuple(check.list_of_texts(table, "sources", where))
        if not sources:
            check.fail(f"{where}.sources", "must name at least one source")
    else:
        sources = previous.sources
    return LegalBasis(
        paragraph=paragraph,
        text=check.text(table, "text", where, TEXT_LENGTH) if "text" in table else previous.text,
        to_confirm=(
            check.boolean(table, "to_confirm", where)
            if "to_confirm" in table
            else previous.to_confirm
        ),
        sources=sources,
    )


def _notifier_kinds(check: _Checker, item: dict, where: str) -> list[str]:
    kinds = check.list_of_texts(item, "section_133_notifiers", where)
    known = [k.value for k in NotifierKind]
    for kind in kinds:
        if kind not in known:
            check.fail(
                f"{where}.section_133_notifiers",
                f"{kind!r} is not a notifier kind; known: {', '.join(known)}",
            )
    if NotifierKind.ANONYMOUS.value in kinds:
        check.fail(
            f"{where}.section_133_notifiers", "an anonymous notifier cannot be told anything"
        )
    return kinds


def _adult_tasks(check: _Checker, table: Any, where: str) -> dict[str, LocalTarget]:
    if not isinstance(table, dict):
        check.fail(where, "must be a table of tasks")
    targets = {}
    for name, target in table.items():
        task_where = f"{where}.{name}"
        if not ID_PATTERN.fullmatch(name):
            check.fail(task_where, "a task name is lower-case letters, digits, '-', '_' or '.'")
        if not isinstance(target, dict):
            check.fail(task_where, "must be a table with hours or working_days")
        check.keys(target, task_where, required=set(), optional={"hours", "working_days"})
        if len(target) != 1:
            check.fail(task_where, "needs exactly one of hours or working_days")
        (unit,) = target
        if name not in TASK_UNITS:
            check.fail(task_where, f"unknown task; known: {', '.join(sorted(TASK_UNITS))}")
        if unit != TASK_UNITS[name]:
            check.fail(task_where, f"the target of {name} is given in {TASK_UNITS[name]}")
        value = check.integer(target, unit, task_where, 0, 10_000)
        targets[name] = LocalTarget(**{unit: value})
    return targets


class _Checker:
    """Reads values out of the decoded file; every refusal names the file and the key."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, problem: str):
        raise RulesFileError(f"{self.source}: {key or '(top level)'}: {problem}")

    def keys(
        self, table: dict, where: str, *, required: set[str], optional: set[str] = frozenset()
    ):
        missing = sorted(required - table.keys())
        if missing:
            self.fail(where, f"missing {', '.join(missing)}")
        unknown = sorted(table.keys() - required - optional)
        if unknown:
            allowed = ", ".join(sorted(required | optional))
            self.fail(_join(where, unknown[0]), f"is not a known key here; known: {allowed}")

    def text(self, table: dict, name: str, where: str, limit: int = 2000) -> str:
        value = table.get(name)
        if not isinstance(value, str) or not value.strip():
            self.fail(_join(where, name), "must be a non-empty text")
        value = value.strip()
        if len(value) > limit:
            self.fail(_join(where, name), f"is {len(value)} characters; at most {limit}")
        return value

    def identifier(self, table: dict, name: str, where: str) -> str:
        value = self.text(table, name, where)
        if not ID_PATTERN.fullmatch(value):
            self.fail(
                _join(where, name),
                "must be at most 40 lower-case letters, digits, '-', '_' or '.'",
            )
        return value

    def date(self, table: dict, name: str, where: str) -> date:
        value = table.get(name)
        if type(value) is not date:  # a TOML date, not a date and time or a text
            self.fail(_join(where, name), "must be a date written as YYYY-MM-DD (no quotes)")
        return value

    def boolean(self, table: dict, name: str, where: str) -> bool:
        value = table.get(name)
        if not isinstance(value, bool):
            self.fail(_join(where, name), "must be true or false")
        return value

    def integer(self, table: dict, name: str, where: str, low: int, high: int) -> int:
        value = table.get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(_join(where, name), f"must be a whole number from {low} to {high}")
        return value

    def list_of_texts(self, table: dict, name: str, where: str) -> list[str]:
        value = table.get(name)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(_join(where, name), "must be a list of texts")
        return value

    def list_of_tables(self, table: dict, name: str, where: str, *, required: bool = True):
        value = table.get(name, None if required else [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(_join(where, name), f"must be a list of tables ([[{name}]])")
        if required and not value:
            self.fail(_join(where, name), f"needs at least one [[{name}]]")
        return value


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


RULES_DATA_FILE = DataFile("the rules file", "RULES_FILE", DEFAULT_FILE, load, RulesFileError)


def configured_path() -> Path:
    """Return the file the app uses: the municipality's own, else the shipped default."""
    return RULES_DATA_FILE.configured_path()


def rules_for_app() -> RuleBook:
    """Return the app's rules, re-read when the file changes (the last good one kept)."""
    return RULES_DATA_FILE.current()


def check_at_startup(app) -> None:
    """Load the configured file once, so a broken file stops the app at start."""
    RULES_DATA_FILE.check_at_startup(app)
