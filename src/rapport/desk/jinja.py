"""The Jinja2 environment of the desk's hot fragments: the thread's messages, the
history's events and the queue's rows (`desk/jinja2/desk/`).

Django's template engine looks up, localises and escapes every variable node by
node: a queue row of nine cells took ~0.5 ms and a message ~0.2 ms, more than the
pages' SQL. Jinja2 compiles each template to Python once (docs/performance.md has
the figures). URLs are built by the same `route` as the `{% route %}` tag of the
Django templates; times are shown in the viewer's time zone (the active one) and
words go through Django's translations.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import dateformat, timezone
from django.utils.translation import gettext
from jinja2 import Environment

from rapport.desk.templatetags.rapport_ui import describe, filesize, route

# As the desk's Django templates write a time within a thread or a queue.
WHEN_FORMAT = "M j, H:i"


def when(value: datetime) -> str:
    """A time in the viewer's time zone, with the active language's month names."""
    return dateformat.format(timezone.localtime(value), WHEN_FORMAT)


def translate(message: str, **values: Any) -> str:
    """`_("…%(name)s…", name=value)`: Django's translation of `message`, with the values
    put in (the template escapes the result as any other value)."""
    text = gettext(message)
    return text % values if values else text


def environment(**options: Any) -> Environment:
    env = Environment(**options)  # noqa: S701 (the backend turns autoescape on)
    # A plain function rather than the i18n extension's `_`: that one takes the
    # template's context, and called inside a loop it builds a new context each
    # time (about 0.2 ms, more than the rest of a queue row).
    env.globals["_"] = translate
    env.globals["route"] = route
    env.filters.update(when=when, filesize=filesize, describe=describe)
    return env
