"""`make bench-mail`: ingest generated e-mail through the real pipeline, one process.

    RAPPORT_DATA_DIR=var/bench-mail python bench/mail.py --messages 1000      # SQLite
    DATABASE_URL=postgres://…/rapport_mailbench python bench/mail.py …       # PostgreSQL

60 % of the messages open tickets (some from senders we do not know yet, who
become contacts), 40 % reply to them (by In-Reply-To, by References, or by the
subject tag alone, in Gmail and Outlook shapes with quoted history), 25 % carry
an HTML part. Each is stored, parsed, classified, threaded, trimmed and written
exactly as mail from the SMTP listener and the IMAP poller is: received in
batches, then placed by the batch as the worker does. Then, in a fresh process,
the peak memory of ingesting one message with a 50 MB attachment.

The database named by the settings is deleted and recreated first.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RATE_TARGET = 400  # messages/s
MEMORY_TARGET = 100  # MiB over the baseline
SUPPORT = "support@rapport.test"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument(
        "--batch", type=int, default=0, help="messages per batch (default: the pipeline's)"
    )
    parser.add_argument("--attachment-mb", type=int, default=50)
    parser.add_argument("--force", action="store_true", help="recreate a non-bench database")
    parser.add_argument("--memory-only", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "rapport.settings"
    import django

    django.setup()
    from django.test import override_settings

    # Passwords are never checked here; Argon2 would only slow building the cast.
    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()


# --- the messages ---------------------------------------------------------------

WORDS = [
    "printer",
    "invoice",
    "login",
    "password",
    "vpn",
    "laptop",
    "screen",
    "export",
    "report",
    "backup",
    "mail",
    "calendar",
    "order",
    "delivery",
    "refund",
    "contract",
    "server",
    "network",
    "slow",
    "broken",
    "error",
]


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _mail(
    *, sender: str, subject: str, text: str, message_id: str, html: bool,
    in_reply_to: str = "", references: str = "",
) -> bytes:  # fmt: skip
    head = [
        f"From: {sender}", f"To: Support <{SUPPORT}>", f"Subject: {subject}",
        "Date: Mon, 30 Nov 2026 10:00:00 +0000", f"Message-ID: <{message_id}>",
        "MIME-Version: 1.0",
    ]  # fmt: skip
    if in_reply_to:
        head.append(f"In-Reply-To: <{in_reply_to}>")
    if references:
        head.append(f"References: {references}")
    if not html:
        head += ["Content-Type: text/plain; charset=utf-8", "", text]
    else:
        fresh, _, quoted = text.partition("\n\nOn ")
        paragraphs = "".join(f"<p>{line}</p>" for line in fresh.split("\n") if line)
        if quoted:  # as Gmail quotes
            history = "<br>".join(quoted.split("\n")[1:])
            paragraphs += (
                f'<div class="gmail_quote"><div class="gmail_attr">On {quoted.split(chr(10))[0]}'
                f'</div><blockquote class="gmail_quote">{history}</blockquote></div>'
            )
        head += [
            'Content-Type: multipart/alternative; boundary="alt"', "",
            "--alt", "Content-Type: text/plain; charset=utf-8", "", text,
            "--alt", "Content-Type: text/html; charset=utf-8", "",
            f"<html><body><div dir=\"ltr\">{paragraphs}</div></body></html>", "--alt--",
        ]  # fmt: skip
    return ("\r\n".join(head) + "\r\n").encode()


class Plan:
    """Decides each message from what came before; remembers what each should become."""

    def __init__(self, seed: int, contacts: list[str]) -> None:
        self.rng = random.Random(seed)
        self.contacts = contacts
        self.opened: list[tuple[int, str, str]] = []  # (index, sender, message-id) of new ones

    def message(self, i: int, ticket_of: dict[int, int]) -> tuple[bytes, str, int | None]:
        """(raw, kind, index of the message whose ticket a reply belongs to)."""
        rng = self.rng
        html = rng.random() < 0.25
        new = not self.opened or rng.random() < 0.6
        if new:
            # One in ten is someone we do not know yet: they become a Globex contact.
            unknown = rng.random() < 0.1
            sender = f"new{i}@globex.example" if unknown else rng.choice(self.contacts)
            message_id = f"m{i}.{rng.getrandbits(32):x}@client.example"
            subject = f"{_text(rng, 4)[:-1]} #{i}"
            raw = _mail(sender=sender, subject=subject, text=_text(rng, 30),
                        message_id=message_id, html=html)  # fmt: skip
            self.opened.append((i, sender, message_id))
            return raw, "new", None
        index, sender, first_id = rng.choice(self.opened)
        shape = rng.choice(("in-reply-to", "references", "tag"))
        if shape == "tag" and index not in ticket_of:
            shape = "in-reply-to"  # its ticket is being opened in this very batch: no number yet
        fresh = _text(rng, 12)
        quoted = f"{fresh}\n\nOn Mon, 30 Nov 2026 at 09:00, Support <{SUPPORT}> wrote:\n" + (
            "\n".join(f"> {_text(rng, 10)}" for _ in range(4))
        )
        message_id = f"r{i}.{rng.getrandbits(32):x}@client.example"
        if shape == "in-reply-to":
            raw = _mail(sender=sender, subject="Re: update", text=quoted, html=html,
                        message_id=message_id, in_reply_to=first_id)  # fmt: skip
        elif shape == "references":
            raw = _mail(sender=sender, subject="Re: update", text=quoted, html=html,
                        message_id=message_id, references=f"<{first_id}>")  # fmt: skip
        else:
            raw = _mail(sender=sender, subject=f"Re: [#{ticket_of[index]}] update", text=quoted,
                        html=html, message_id=message_id)  # fmt: skip
        return raw, "reply", index


def ingest(count: int, seed: int, batch: int = 0) -> dict[str, object]:
    from rapport.mail import actions, pipeline
    from rapport.mail.models import Outcome
    from rapport.testing import build_world

    batch = batch or pipeline.BATCH
    world = build_world()
    actions.create_mailbox(None, address=SUPPORT, provider=world.support.party)
    contacts = [p.email for r, p in world.people.items() if r in ("contact", "colleague",
                                                                 "org_admin")]  # fmt: skip
    plan = Plan(seed, contacts)
    ticket_of: dict[int, int] = {}
    samples: list[float] = []  # seconds per message: its batch's time over its size
    batches: list[float] = []  # seconds per batch: what each of its messages waited
    wrong: list[str] = []
    html_count = 0
    cpu = 0.0  # seconds of this process's CPU in the pipeline (the wall clock is shared)
    for first in range(0, count, batch):
        planned = [plan.message(i, ticket_of) for i in range(first, min(first + batch, count))]
        html_count += sum(b"text/html" in raw for raw, _, _ in planned)
        began, cpu_began = time.perf_counter(), time.process_time()
        # As the SMTP listener and the IMAP poller hand over a batch, and the worker
        # places it.
        received = pipeline.receive_many(
            [pipeline.Delivery(raw, "smtp", recipients=[SUPPORT]) for raw, _, _ in planned],
            enqueue=False,
        )
        placed = pipeline.process_many([inbound.pk for inbound in received])
        took = time.perf_counter() - began
        cpu += time.process_time() - cpu_began
        batches.append(took)
        samples += [took / len(planned)] * len(planned)
        for i, ((_, kind, parent), inbound) in enumerate(zip(planned, placed, strict=True)):
            i += first
            if kind == "new":
                if inbound.outcome != Outcome.TICKET or inbound.ticket_id is None:
                    wrong.append(f"#{i}: expected a ticket, got {inbound.state} {inbound.reason}")
                    continue
                ticket_of[i] = inbound.ticket_id
                continue
            assert parent is not None
            expected = ticket_of.get(parent)
            message = inbound.message
            if inbound.outcome != Outcome.REPLY or inbound.ticket_id != expected:
                wrong.append(f"#{i}: expected a reply on #{expected}, got {inbound.ticket_id}")
            elif message is None or "wrote:" in message.body_text:
                wrong.append(f"#{i}: the quoted history was not trimmed")
    return {"samples": samples, "batches": batches, "cpu": cpu, "wrong": wrong, "html": html_count,
            "replies": count - len(ticket_of)}  # fmt: skip


# --- memory ---------------------------------------------------------------------


def _big_message(path: Path, megabytes: int) -> None:
    """Write a message with a `megabytes` MB attachment, a chunk at a time."""
    with path.open("wb") as out:
        out.write(
            f"From: contact@example.com\r\nTo: {SUPPORT}\r\nSubject: Database dump\r\n"
            "Message-ID: <dump@client.example>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
            "--b\r\nContent-Type: text/plain\r\n\r\nThe dump you asked for.\r\n"
            "--b\r\nContent-Type: application/octet-stream; name=dump.bin\r\n"
            "Content-Transfer-Encoding: base64\r\n"
            "Content-Disposition: attachment; filename=dump.bin\r\n\r\n".encode()
        )
        chunk = 57 * 16 * 1024  # whole base64 lines
        left = megabytes * 1024 * 1024
        while left > 0:
            data = os.urandom(min(chunk, left))
            out.write(base64.encodebytes(data).replace(b"\n", b"\r\n"))
            left -= len(data)
        out.write(b"--b--\r\n")


def _status(field: str) -> float:
    """A memory figure of this process from /proc, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def memory_only(megabytes: int) -> None:
    """In a fresh process: RSS peak of ingesting one big message, over the baseline."""
    setup()
    from rapport.mail import pipeline
    from rapport.tickets.models import Attachment

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.eml"
        _big_message(path, megabytes)
        warm = pipeline.receive(
            _mail(sender="contact@example.com", subject="warm-up", text="hi",
                  message_id="warm@client.example", html=True),
            transport="smtp", recipients=[SUPPORT], enqueue=False,
        )  # fmt: skip
        pipeline.process(warm.pk)  # imports and caches loaded before the baseline
        baseline = _status("VmRSS")
        Path("/proc/self/clear_refs").write_text("5")  # restart the peak (VmHWM) from here
        began = time.perf_counter()
        with path.open("rb") as stream:
            inbound = pipeline.receive(stream, transport="file", recipients=[SUPPORT],
                                       enqueue=False)  # fmt: skip
        inbound = pipeline.process(inbound.pk)
        seconds = time.perf_counter() - began
        peak = _status("VmHWM")
        stored = Attachment.objects.filter(message=inbound.message).first()
        ok = stored is not None and stored.size == megabytes * 1024 * 1024
        print(f"MEMORY {peak - baseline:.1f} {baseline:.1f} {seconds:.2f} {int(ok)}")


def measure_memory(megabytes: int) -> tuple[float, float, float, bool]:
    env = {**os.environ, "RAPPORT_MAX_ATTACHMENT_MB": str(megabytes + 10)}
    out = subprocess.run(
        [sys.executable, __file__, "--memory-only", "--attachment-mb", str(megabytes)],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(x for x in out.stdout.splitlines() if x.startswith("MEMORY "))
    over, baseline, seconds, ok = line.split()[1:]
    return float(over), float(baseline), float(seconds), ok == "1"


# --- report ---------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.memory_only:
        memory_only(args.attachment_mb)
        return 0
    os.environ["DJANGO_SETTINGS_MODULE"] = "rapport.settings"
    from django.conf import settings

    from bench.run import fresh_database

    fresh_database(settings.DATABASES["default"], force=args.force)
    setup()
    from django.core.management import call_command
    from django.db import connection
    from huey.contrib.djhuey import HUEY

    call_command("migrate", verbosity=0, interactive=False)
    HUEY.flush()
    engine = f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}".strip()  # noqa: E501
    print(f"Mail benchmark on {engine}: {args.messages:,} messages", flush=True)
    result = ingest(args.messages, args.seed, args.batch)
    cpu: float = result["cpu"]  # type: ignore[assignment]
    samples: list[float] = result["samples"]  # type: ignore[assignment]
    batches: list[float] = result["batches"]  # type: ignore[assignment]
    wrong: list[str] = result["wrong"]  # type: ignore[assignment]
    total = sum(samples)
    rate = len(samples) / total
    ordered = sorted(batches)
    p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)] * 1000
    median = statistics.median(batches) * 1000
    size = args.messages / len(batches)
    HUEY.flush()
    print(f"measuring memory with a {args.attachment_mb} MB attachment", flush=True)
    over, baseline, seconds, stored = measure_memory(args.attachment_mb)
    print()
    print(f"{engine}: {args.messages:,} messages ({result['html']} with HTML, "
          f"{args.messages - len(wrong) - 0:,} placed right)")  # fmt: skip
    print(f"  ingest (store, parse, classify, thread, trim, write) in batches of {size:.0f}: "
          f"{rate:,.0f} messages/s (target >= {RATE_TARGET}) "
          f"{'ok' if rate >= RATE_TARGET else 'MISSED'}; a batch (what a message waits) "
          f"median {median:.2f} ms, p95 {p95:.2f} ms; CPU {cpu * 1000 / args.messages:.2f} ms "
          "per message")  # fmt: skip
    print(f"  correctness: {args.messages - len(wrong):,}/{args.messages:,} became the ticket "
          f"or reply they should {'ok' if not wrong else 'WRONG'}")  # fmt: skip
    for line in wrong[:10]:
        print(f"    {line}")
    print(f"  {args.attachment_mb} MB attachment: {seconds:.1f} s, peak RSS {over:.1f} MiB over a "
          f"{baseline:.0f} MiB baseline (target <= {MEMORY_TARGET} MiB) "
          f"{'ok' if over <= MEMORY_TARGET and stored else 'MISSED'}"
          f"{'' if stored else ' (attachment not stored!)'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
