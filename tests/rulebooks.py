"""The shipped rules file, parsed once, and rule books derived from it for tests.

The domain never reads the file; its tests compute with SHIPPED (what `make run` uses)
or with a book changed here, so each test says which rule it changes.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from tracker.cases.legal_rules import DEFAULT_FILE, load
from tracker.domain.rulebook import RuleBook, RulesVersion

SHIPPED: RuleBook = load(DEFAULT_FILE)


def with_first_version(**changes) -> RuleBook:
    """The shipped book with fields of its (only) version changed, e.g. the local targets."""
    first = dataclasses.replace(SHIPPED.versions[0], **changes)
    return dataclasses.replace(SHIPPED, versions=(first, *SHIPPED.versions[1:]))


def with_later_version(effective_from: date, version_id: str = "test-later", **changes) -> RuleBook:
    """The shipped book plus a version from `effective_from` that changes the given fields."""
    last = SHIPPED.versions[-1]
    later: RulesVersion = dataclasses.replace(
        last, id=version_id, effective_from=effective_from, title="Testversion", **changes
    )
    return dataclasses.replace(SHIPPED, versions=(*SHIPPED.versions, later))
