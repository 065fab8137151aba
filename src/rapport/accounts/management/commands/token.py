"""`rapport token create USERNAME [--name N]`, `token list USERNAME`, `token revoke PREFIX`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rapport.accounts import actions
from rapport.accounts.models import ApiToken
from rapport.accounts.queries import tokens_of
from rapport.directory.queries import person_by_login


class Command(BaseCommand):
    help = "Create, list or revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="Print a new token for USERNAME")
        create.add_argument("username")
        create.add_argument("--name", default="cli")
        listing = sub.add_parser("list", help="List the tokens of USERNAME")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="Revoke the token starting with PREFIX")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        if verb == "revoke":
            matches = list(ApiToken.objects.filter(prefix__startswith=options["prefix"]))
            if len(matches) != 1:
                raise CommandError(f"{len(matches)} tokens start with {options['prefix']!r}.")
            actions.revoke_token(None, matches[0])
            self.stdout.write(f"Revoked {matches[0].prefix}…")
            return
        person = person_by_login(options["username"])
        if person is None:
            raise CommandError(f"No one signs in as {options['username']!r}.")
        if verb == "create":
            if not person.is_active:
                raise CommandError(f"{person.username} is disabled.")
            _, key = actions.create_token(None, person, name=options["name"])
            self.stdout.write(key)
        else:
            for token in tokens_of(person):
                state = "revoked" if token.revoked_at else "active"
                self.stdout.write(
                    f"{token.prefix}…\t{token.name}\t{token.created_at:%Y-%m-%d}\t{state}"
                )
