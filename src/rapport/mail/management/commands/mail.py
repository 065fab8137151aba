"""`rapport mail …`: the SMTP/LMTP listener, replay of quarantined mail, file
ingestion (e.g. from an MTA pipe), one IMAP poll, and mailbox set-up."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from rapport.core.errors import RapportError
from rapport.directory.models import Party


class Command(BaseCommand):
    help = "E-mail: listen, replay, ingest, poll, mailbox."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listen = sub.add_parser("listen", help="Run the SMTP (or LMTP) listener")
        listen.add_argument("--host", default=None)
        listen.add_argument("--port", type=int, default=None)
        listen.add_argument("--lmtp", action="store_true", help="Speak LMTP (RFC 2033)")
        replay = sub.add_parser("replay", help="Process quarantined messages again")
        replay.add_argument("ids", nargs="*", type=int, help="inbound ids (default: all)")
        replay.add_argument("--stuck", action="store_true", help="also messages left received")
        ingest = sub.add_parser("ingest", help="Store and process message files (- for stdin)")
        ingest.add_argument("files", nargs="+")
        ingest.add_argument("--mailbox", default="", help="the mailbox address it was sent to")
        sub.add_parser("poll", help="Poll every IMAP mailbox once")
        box = sub.add_parser("mailbox", help="Create or change a mailbox")
        box.add_argument("address")
        box.add_argument("--provider", type=int, help="party id of the team or vendor answering")
        box.add_argument("--name", default=None)
        box.add_argument("--imap-host", default=None)
        box.add_argument("--imap-port", type=int, default=None)
        box.add_argument("--imap-username", default=None)
        box.add_argument(
            "--imap-password-stdin", action="store_true", help="read the password from stdin"
        )
        box.add_argument("--imap-no-tls", action="store_true")
        box.add_argument("--imap-processed-folder", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except RapportError as exc:
            raise CommandError(exc.detail)

    def _listen(self, options: dict[str, Any]) -> None:
        from django.conf import settings

        from rapport.mail.smtp import DeliveryHandler, Listener

        host = options["host"] or settings.RAPPORT_SMTP_HOST
        port = options["port"] or settings.RAPPORT_SMTP_PORT
        handler = DeliveryHandler()
        listener = Listener(handler, hostname=host, port=port, lmtp=options["lmtp"])
        listener.start()
        protocol = "LMTP" if options["lmtp"] else "SMTP"
        self.stdout.write(f"{protocol} listener on {host}:{port}", ending="\n")
        self.stdout.flush()
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        stop.wait()
        listener.stop()
        handler.close()

    def _replay(self, options: dict[str, Any]) -> None:
        from rapport.mail import actions
        from rapport.mail.models import InboundMessage, InboundState

        states = [InboundState.QUARANTINED]
        if options["stuck"]:
            states.append(InboundState.RECEIVED)
        qs = InboundMessage.objects.filter(state__in=states).order_by("id")
        if options["ids"]:
            qs = qs.filter(pk__in=options["ids"])
        ids = list(qs.values_list("pk", flat=True))
        outcomes: dict[str, int] = {}
        for inbound_id in tqdm(ids, desc="replaying", unit="msg", disable=not ids):
            result = actions.replay(None, InboundMessage.objects.get(pk=inbound_id))
            outcomes[result.state] = outcomes.get(result.state, 0) + 1
        summary = ", ".join(f"{n} {state}" for state, n in sorted(outcomes.items()))
        self.stdout.write(f"Replayed {len(ids)} message(s){': ' + summary if summary else ''}.")

    def _ingest(self, options: dict[str, Any]) -> None:
        from rapport.mail import pipeline
        from rapport.mail.models import Mailbox

        mailbox = None
        if options["mailbox"]:
            mailbox = Mailbox.objects.filter(address=options["mailbox"].lower()).first()
            if mailbox is None:
                raise CommandError(f"There is no mailbox {options['mailbox']}.")
        for name in options["files"]:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
            inbound = pipeline.receive(data, transport="file", mailbox=mailbox, enqueue=False)
            inbound = pipeline.process(inbound.pk)
            where = f" #{inbound.ticket_id}" if inbound.ticket_id else ""
            reason = f" ({inbound.reason})" if inbound.reason else ""
            self.stdout.write(f"{name}: {inbound.state} {inbound.outcome}{where}{reason}")

    def _poll(self, options: dict[str, Any]) -> None:
        from rapport.mail import imap

        for address, count in imap.poll_all().items():
            self.stdout.write(f"{address}: {count} message(s) stored")

    def _mailbox(self, options: dict[str, Any]) -> None:
        from rapport.mail import actions
        from rapport.mail.models import Mailbox

        fields: dict[str, Any] = {}
        for key in ("name", "imap_host", "imap_port", "imap_username", "imap_processed_folder"):
            if options[key] is not None:
                fields[key] = options[key]
        if options["imap_no_tls"]:
            fields["imap_tls"] = False
        if options["imap_password_stdin"]:
            fields["imap_password"] = sys.stdin.readline().rstrip("\n")
        existing = Mailbox.objects.filter(address=options["address"].lower()).first()
        if existing is None:
            if options["provider"] is None:
                raise CommandError("A new mailbox needs --provider (a party id).")
            provider = Party.objects.filter(pk=options["provider"]).first()
            if provider is None:
                raise CommandError(f"There is no party {options['provider']}.")
            mailbox = actions.create_mailbox(
                None, address=options["address"], provider=provider, **fields
            )
            self.stdout.write(f"Created mailbox {mailbox.address}.")
        else:
            actions.update_mailbox(None, existing, **fields)
            self.stdout.write(f"Updated mailbox {existing.address}.")
