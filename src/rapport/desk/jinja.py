"""The Jinja2 environment of the desk's hot fragments: the thread's messages, the
history's events and the queue's rows (`desk/jinja2/desk/`).

Django's template engine looks up, localises and escapes every variable node by
node: a queue row of nine cells took ~0.5 ms and a message ~0.2 ms, more than the
pages' SQL. Jinja2 compiles each template to Python once (docs/performance.md has
the figures). URLs are built by the same `route` as the `{% route %}` tag of the
Django templates; times are shown in the viewer's time zone (the active one) and
words go through Django's translations.

The language, time zone, script prefix and URLconf are context-locals, and each
read of one costs tens of microseconds: `helpers()` reads them once per fragment
and gives the template `_`, `when` and `route` bound to them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils import timezone, translation
from django.utils.dates import MONTHS_3
from jinja2 import Environment

from rapport.desk.templatetags.rapport_ui import describe, filesize, router

# Translations and month names per language, kept for the process.
_WORDS: dict[tuple[str, str], str] = {}
_MONTHS: dict[str, list[str]] = {}


def helpers() -> dict[str, Callable[..., str]]:
    """`_`, `when` and `route` for one fragment, in the active language and time zone."""
    language = translation.get_language() or ""
    zone = timezone.get_current_timezone()
    months = _MONTHS.get(language)
    if months is None:
        months = _MONTHS[language] = [""] + [str(MONTHS_3[i]).title() for i in range(1, 13)]

    def translate(message: str, **values: Any) -> str:
        """`_("…%(name)s…", name=value)`: the translation with the values put in (the
        template escapes the result as any other value)."""
        text = _WORDS.get((language, message))
        if text is None:
            text = _WORDS[(language, message)] = translation.gettext(message)
        return text % values if values else text

    def when(value: datetime) -> str:
        """As Django's date format "M j, H:i", in the viewer's time zone."""
        local = value.astimezone(zone)
        return f"{months[local.month]} {local.day}, {local:%H:%M}"

    return {"_": translate, "when": when, "route": router()}


def environment(**options: Any) -> Environment:
    env = Environment(**options)  # noqa: S701 (the backend turns autoescape on)
    env.filters["filesize"] = filesize
    env.filters["describe"] = describe
    return env
