"""Render an e-mail template once per shape, then fill in each e-mail's facts.

Dispatch renders the same alert template thousands of times with only a handful of facts
changing (case reference, due time, link); Jinja with Flask-Babel's `_()` calls costs a
few tenths of a millisecond per e-mail. So each template is rendered once per *shape* with
markers in place of the facts, split at the markers, and every e-mail is the pieces joined
with its facts: as they are in the text, HTML-escaped (as Jinja's autoescape does) in the
HTML.

A shape is the template, the locale, the fixed values (such as the stage, which the
template branches on) and which facts are empty, so `{% if fact %}` still works. A template
that transforms a fact (a filter, a slice) shows up as a damaged marker, or as a
difference between both ways of rendering the shape's first e-mail: that shape is then
rendered in full every time. The tests compare both ways of rendering.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import current_app
from markupsafe import escape

from tracker.mail.render import render_email

_MARKER = re.compile("\x00([0-9]+)\x00")
_EXTENSION = "tracker.alerts.sweep.email_skeletons"
_FULL = object()  # this shape cannot be cut into pieces: render it in full


def render_cached(
    template_base: str, fixed: Mapping[str, Any], facts: Mapping[str, str]
) -> tuple[str, str]:
    """Return (text, html) as `render_email` would, from the shape's cached pieces."""
    names = tuple(sorted(facts))
    key = (
        template_base,
        current_app.config.get("BABEL_DEFAULT_LOCALE", "da"),
        tuple(sorted(fixed.items())),
        names,
        tuple(bool(facts[name]) for name in names),
    )
    # Templates edited while running (debug) must show: no cache then.
    cache = {} if current_app.jinja_env.auto_reload else _cache()
    pieces = cache.get(key)
    if pieces is None:
        pieces = cache[key] = _cut(template_base, fixed, names, facts)
    if pieces is _FULL:
        return render_email(template_base, **fixed, **facts)
    return _fill(pieces, [facts[name] for name in names])


def _fill(pieces, values: list[str]) -> tuple[str, str]:
    text_pieces, html_pieces = pieces
    text = _join(text_pieces, [str(value) for value in values])
    html = _join(html_pieces, [str(escape(value)) for value in values])
    return text.strip() + "\n", html


def _cache() -> dict:
    return current_app.extensions.setdefault(_EXTENSION, {})


def _cut(template_base: str, fixed: Mapping[str, Any], names: tuple[str, ...], facts):
    # An empty fact is rendered as itself: the shape already says which facts are empty.
    markers = {
        name: f"\x00{index}\x00" if facts[name] else facts[name] for index, name in enumerate(names)
    }
    text, html = render_email(template_base, **fixed, **markers)
    pieces = (_split(text), _split(html))
    if any("\x00" in piece for part in pieces for piece in part if isinstance(piece, str)):
        return _FULL
    # A transformation that keeps the marker whole (a slice, say) shows in the first e-mail.
    if _fill(pieces, [facts[name] for name in names]) != render_email(
        template_base, **fixed, **facts
    ):
        return _FULL
    return pieces


def _split(rendered: str) -> list[str | int]:
    """Return literal text and fact indexes, alternating: ["Sag: ", 3, "\\n", ...]."""
    parts = _MARKER.split(rendered)
    return [part if n % 2 == 0 else int(part) for n, part in enumerate(parts)]


def _join(pieces: list[str | int], values: list[str]) -> str:
    return "".join(piece if isinstance(piece, str) else values[piece] for piece in pieces)
