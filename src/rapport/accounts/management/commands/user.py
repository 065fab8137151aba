"""`rapport user create USERNAME --role admin|manager|agent [--team T]… [--email E]
[--full-name N] [--password-stdin]`: the way to make an account that can work.

Visibility follows the staff role (and team membership for agents), so an account made
any other way sees nothing; this one goes through the directory's actions.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rapport.accounts.actions import create_staff
from rapport.core.errors import RapportError


class Command(BaseCommand):
    help = "Create staff accounts (admin, manager, agent)."
    stealth_options = ("stdin",)  # tests hand in the password without a terminal

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="Create a staff account")
        create.add_argument("username")
        create.add_argument(
            "--role",
            required=True,
            choices=["admin", "manager", "agent"],
            help="admin: everything; manager: sees everything; agent: their teams",
        )
        create.add_argument(
            "--team",
            action="append",
            default=[],
            metavar="TEAM",
            help="Make them an agent of this team (repeat for several)",
        )
        create.add_argument("--email", default="")
        create.add_argument("--full-name", default="")
        create.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from the first line of standard input",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = None
        if options["password_stdin"]:
            stdin = options.get("stdin") or sys.stdin
            password = stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("No password on standard input.")
        try:
            person, teams = create_staff(
                None,
                username=options["username"],
                role=options["role"],
                teams=options["team"],
                email=options["email"],
                full_name=options["full_name"],
                password=password,
            )
        except RapportError as exc:
            raise CommandError(str(exc))
        self.stdout.write(
            describe(
                person.username,
                person.staff_role,
                person.email,
                [t.name for t in teams],
                person.has_usable_password(),
            )
        )


def describe(username: str, role: str, email: str, teams: list[str], has_password: bool) -> str:
    lines = [f"Created {role} {username}" + (f" <{email}>" if email else "") + "."]
    if teams:
        lines.append(f"Agent of: {', '.join(teams)}.")
    if role in ("admin", "manager"):
        lines.append("Sees every ticket." if role == "manager" else "Sees and changes everything.")
    elif not teams:
        lines.append("In no team yet: add --team to give them a queue.")
    if not has_password:
        lines.append(f"No password yet: `rapport changepassword {username}` sets one.")
    return "\n".join(lines)
