"""`rapport createsuperuser`: Django's familiar command, making a Rapport admin.

Django's own version makes a superuser without a staff role, and in Rapport what a
person sees follows the staff role, so that account saw nothing. This one takes the
same options (--username, --email, --noinput with DJANGO_SUPERUSER_PASSWORD) and makes
an admin through the same action as `rapport user create USERNAME --role admin`.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rapport.accounts.actions import create_staff
from rapport.accounts.management.commands.user import describe
from rapport.core.errors import RapportError


class Command(BaseCommand):
    help = "Create an admin (same as `rapport user create USERNAME --role admin`)."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default=os.environ.get("DJANGO_SUPERUSER_USERNAME"))
        parser.add_argument("--email", default=os.environ.get("DJANGO_SUPERUSER_EMAIL", ""))
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Ask nothing: the password comes from DJANGO_SUPERUSER_PASSWORD",
        )
        parser.add_argument("--database", default="default", help="Ignored: one database")

    def handle(self, *args: Any, **options: Any) -> None:
        username, email = options["username"], options["email"] or ""
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or None
        if options["interactive"]:
            username = username or input("Username: ").strip()
            email = email or input("E-mail address (optional): ").strip()
            if password is None:
                password = getpass.getpass("Password: ")
                if password != getpass.getpass("Password (again): "):
                    raise CommandError("The passwords differ; nothing was created.")
        if not username:
            raise CommandError(
                "Give --username (or DJANGO_SUPERUSER_USERNAME). Rapport's own command is "
                "`rapport user create USERNAME --role admin|manager|agent [--team …]`."
            )
        try:
            person, _ = create_staff(
                None, username=username, role="admin", email=email, password=password
            )
        except RapportError as exc:
            raise CommandError(str(exc))
        self.stdout.write(
            describe(person.username, "admin", person.email, [], person.has_usable_password())
        )
        self.stdout.write(
            "Next time: `rapport user create USERNAME --role admin|manager|agent [--team …]`."
        )
