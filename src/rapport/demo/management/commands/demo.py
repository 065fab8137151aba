"""`rapport demo`: create the demo organisation in an empty database and print how to sign in."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from rapport.demo.builder import demo_exists, ensure_demo
from rapport.directory.queries import own_organisation


class Command(BaseCommand):
    help = "Create the demo organisation (Northwind Services) unless one exists."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar")
        parser.add_argument("--base-url", default=None, help="Where to sign in (for the message)")
        # `rapport serve --demo-if-empty` calls this command by name (core, where serve
        # lives, imports no app): it has migrated already, and it stays quiet about a
        # database that holds a real organisation.
        parser.add_argument("--from-serve", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        from_serve = options["from_serve"]
        if not from_serve:
            call_command("migrate", interactive=False, verbosity=0)
        progress = not options["no_progress"]
        created = ensure_demo(self.stdout, progress=progress, base_url=options["base_url"])
        if created or demo_exists() or from_serve:
            return
        own = own_organisation()
        self.stdout.write(
            f"{own.name if own else 'An organisation'} is set up already; "
            "the demo is only created in an empty database."
        )
