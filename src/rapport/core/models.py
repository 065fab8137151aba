"""What every app shares: the worker's heartbeat, the reference-data stamp."""

from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """Last sign of life of a background process, so /healthz can tell it is running."""

    name = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()


class ReferenceStamp(models.Model):
    """One row whose `stamp` changes (to a random value) whenever reference data
    changes: statuses, agreements, their targets and calendars, mailboxes.

    Database triggers write it (migration core 0004), so every writer counts — the
    actions, the admin, a shell, another process. Processes keep copies of reference
    data tagged with the stamp they were read under (`rapport.core.fast.reference`). A random
    value rather than a counter: a rolled-back change must not leave a number that a
    later, different change reaches again.
    """

    id = models.PositiveSmallIntegerField(primary_key=True)
    stamp = models.BigIntegerField(default=0)


class LoginFailure(models.Model):
    """Failed sign-ins counted under one key (a username's hash or an address) for a
    fixed window: in the database so every web process counts together and a
    restart forgets nothing (`rapport.core.throttle`; Redis instead when configured)."""

    key = models.CharField(max_length=80, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    window_ends_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
