"""`rapport demo`: create the demo organisation in an empty database and print how to sign in."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from rapport.core.demo import demo_exists, ensure_demo
from rapport.directory.queries import own_organisation


class Command(BaseCommand):
    help = "Create the demo organisation (Northwind Services) unless one exists."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if ensure_demo(self.stdout, progress=not options["no_progress"]) or demo_exists():
            return
        own = own_organisation()
        self.stdout.write(
            f"{own.name if own else 'An organisation'} is set up already; "
            "the demo is only created in an empty database."
        )
