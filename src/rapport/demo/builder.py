"""The demo organisation: Northwind Services, its customers, vendors, agreements
and two months of tickets that look like real work.

Everything is written through the actions, so the demo exercises the same write
path (permissions, events, search text) as people do; `clock.travel_to` places
each step in the past. A fixed seed makes the data the same on every run,
relative to the day it runs. The pieces: `organisation.py` (who), `stories.py`
(the tickets), `ratings.py` (surveys and what clients answered), and each app's
own `demo.py`, called below.
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import time
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from tqdm import tqdm

from rapport.agreements.models import Agreement
from rapport.automation.demo import build_automation
from rapport.core import clock
from rapport.core.errors import Conflict
from rapport.demo.organisation import (
    ORGANISATION,
    PASSWORD,
    build_agreements,
    build_directory,
    build_mailboxes,
)
from rapport.demo.ratings import build_ratings
from rapport.demo.stories import SEED, Stories, starts_of
from rapport.directory.models import Organisation, OrgKind, Person
from rapport.directory.queries import own_organisation
from rapport.improvement.demo import build_improvement
from rapport.mail import outbound
from rapport.people.demo_quality import build_quality
from rapport.people.demo_training import build_training
from rapport.policies.demo import build_policies
from rapport.proactive.demo import build_proactive
from rapport.sla import actions as sla_actions
from rapport.sla.sweeper import sweep
from rapport.tickets.models import Ticket

__all__ = ["PASSWORD", "build_demo", "demo_exists", "ensure_demo", "write_sign_in"]

MAILED_RECENTLY = timedelta(days=1)

# Who to sign in as: (what they are, username).
SIGN_IN = (
    ("admin", "amara.okafor"),
    ("manager", "daniel.fischer"),
    ("agent, Customer Support", "jonas.weber"),
    ("customer contact, Contoso Retail", "peter.lindqvist"),
    ("customer org admin, Contoso Retail", "grace.kim"),
    ("employee (internal requests)", "elena.petrova"),
    ("vendor user, Nimbus Hosting", "ray.patel"),
)


class Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


def build_demo(*, progress: bool = True, base_url: str | None = None) -> None:
    """Create the demo organisation; the caller checks that none exists yet."""
    now = clock.now()
    with transaction.atomic():
        with outbound.muted():  # no mail to the demo's made-up people
            found = build_directory()
            build_agreements(found, now)
        stories = Stories(found, now)
        starts = starts_of(random.Random(SEED), now)
        bar = tqdm(
            starts, desc="Demo tickets", unit=" tickets", disable=not progress, file=sys.stderr
        )
        for number, start in enumerate(bar):
            # While mail stays on the machine, the last day's stories mail as they would
            # live, so the outbox page has notifications to read and links to click.
            recent = settings.RAPPORT_MAIL_KEPT_LOCAL and now - start < MAILED_RECENTLY
            with contextlib.nullcontext() if recent else outbound.muted():
                stories.play(number, start)
        with outbound.muted():
            build_mailboxes(found)
            _service_levels(now)
            build_ratings(found, now)
            # Each app's own demo, built through its actions: one line per app.
            build_policies(now)
            build_proactive(now)
            build_training(now)
            build_quality(now)
            build_improvement(now)
            build_automation(base_url)
            # The apps' demos raised tickets of their own (change proposals, outreach)
            # in the past: one more sweep at the present, as a worker would have run.
            with clock.travel_to(now):
                sweep(now)


def _service_levels(now: datetime) -> None:
    """Warnings and escalations on the customer SLAs, then one sweep at the present.

    The stories ran their clocks through the actions (late answers are already
    recorded as breaches); the sweep adds what a worker would have noticed by now:
    warnings on open tickets and breaches of the overdue ones, with notifications.
    """
    for agreement in Agreement.objects.filter(kind="sla"):
        sla_actions.set_sla_settings(
            None, agreement, warning_percents=[50, 75, 90],
            escalations=[
                {"at_percent": 75, "action": "notify", "recipients": ["assignee"]},
                {"at_percent": 100, "action": "notify",
                 "recipients": ["assignee", "team_lead", "provider_manager"]},
            ],
        )  # fmt: skip
    with clock.travel_to(now):
        sweep(now)


def demo_exists() -> bool:
    return Organisation.objects.filter(kind=OrgKind.OWN, name=ORGANISATION).exists()


def ensure_demo(stdout: Writer, *, progress: bool = True, base_url: str | None = None) -> bool:
    """Create the demo organisation if the database has no organisation of its own yet.

    Prints how to sign in when the demo is (or already was) there; True if created now.
    """
    if own_organisation() is None:
        began = time.monotonic()
        try:
            build_demo(progress=progress, base_url=base_url)
        except (Conflict, IntegrityError):
            if own_organisation() is None:  # not another process creating it at the same time
                raise
        else:
            stdout.write(
                f"Created the demo organisation {ORGANISATION}: {Person.objects.count()} people, "
                f"{Ticket.objects.count()} tickets ({time.monotonic() - began:.1f} s).\n"
            )
            write_sign_in(stdout, base_url)
            return True
    if demo_exists():
        stdout.write(f"The demo organisation {ORGANISATION} exists already.\n")
        write_sign_in(stdout, base_url)
    return False


def write_sign_in(stdout: Writer, base_url: str | None = None) -> None:
    url = base_url or f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/"
    width = max(len(role) for role, _ in SIGN_IN) + 2
    lines = [f"Sign in at {url} as:"]
    lines += [f"  {role:<{width}}{username:<18}{PASSWORD}" for role, username in SIGN_IN]
    lines += [
        f"Every demo account has the password {PASSWORD}.",
        f"API token: `rapport token create <username>` prints one (e.g. for {SIGN_IN[0][1]});",
        f"send it as 'Authorization: Bearer <token>'. API docs: {url}api/v1/docs",
    ]
    stdout.write("\n".join(lines) + "\n")
