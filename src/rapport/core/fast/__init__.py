"""Rapport's fast paths: the only code that reaches into Django's internals.

Where Django's own machinery costs more than the database on the hottest paths,
the work is done here instead (each module says what it replaces and the figure
that justifies it; docs/performance.md lists them). `RAPPORT_FAST_PATHS=0` in the
environment turns every one of them off: the same calls then go through Django's
public API only (plain querysets, `bulk_create`, `save(update_fields=...)`,
reference data read afresh for each request or task).
A Django upgrade can therefore always proceed with fast paths off while they are
brought up to date; `make test` runs the SQLite suite both ways.
`RAPPORT_FAST_PATHS_OFF=rows,reference` turns off only those named (for `make bench`).
"""

from __future__ import annotations

from django.conf import settings

PATHS = ("prepared", "rows", "reference")


def enabled(path: str | None = None) -> bool:
    """Whether the fast paths are on, or this one of them (`make bench` measures each
    by turning it alone off with RAPPORT_FAST_PATHS_OFF=name). Read on every call, so
    tests can switch it."""
    if not getattr(settings, "RAPPORT_FAST_PATHS", True):
        return False
    return path is None or path not in getattr(settings, "RAPPORT_FAST_PATHS_OFF", ())
