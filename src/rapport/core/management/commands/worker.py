"""`rapport worker`: the background worker (Huey's consumer with the project's settings)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from rapport.core.sqlite.base import yield_write_lock


class Command(BaseCommand):
    help = "Run the background worker (periodic jobs and queued tasks)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-periodic", action="store_true", help="Do not run the scheduler")

    def handle(self, *args: Any, **options: Any) -> None:
        # Background work leaves SQLite's write lock free between its transactions,
        # so a catch-up after a restart cannot starve web requests (core.sqlite).
        yield_write_lock()
        extra = ["--no-periodic"] if options["no_periodic"] else []
        call_command("run_huey", *extra)
