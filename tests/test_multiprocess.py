"""Several machines in one test: two web processes and two workers, each in its own
process group, sharing one PostgreSQL database, one Redis and one media folder and
nothing else (each has its own RAPPORT_DATA_DIR) — the recipe of docs/deploy.md.

Clients alternate between the two web processes, as behind a round-robin proxy.
The workers race: each periodic job is queued several times at once, as two
schedulers (or a scheduler and a retry) would, and must act exactly once.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests
from django.conf import settings
from django.core.management import CommandError
from django.core.management.commands import flush
from django.db import connection

from rapport.accounts import actions as accounts
from rapport.core import clock
from rapport.core.choices import Priority
from rapport.directory import actions as directory
from rapport.mail import actions as mail_actions
from rapport.mail import pipeline
from rapport.mail.models import InboundMessage, InboundState
from rapport.mail.testing import SUPPORT, SmtpSink, build
from rapport.mail.tests.dovecot import Dovecot, dovecot
from rapport.testing import World, build_world
from rapport.tickets import actions
from rapport.tickets.models import Event, Ticket

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
BERLIN = ZoneInfo("Europe/Berlin")
PASSWORD = "Correct-Horse-9"
IMAP_PASSWORD = "imap-Secret-42"
WAIT = 60.0  # seconds a process may take to show an effect before the test fails
TIMEOUT = 30  # seconds for one HTTP request (generous: the machine may be busy)


def _redis_reachable() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping())
    except Exception:  # any failure means "not reachable"
        return False


pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="several machines share one PostgreSQL server; the SQLite box is "
        "tested through `rapport serve` (tests/test_serve.py)",
    ),
    pytest.mark.skipif(
        not _redis_reachable(),
        reason=f"no Redis answers at {REDIS_URL} (scripts/ensure-redis starts one)",
    ),
    # Committed data: the other processes read it through their own connections.
    # serialized_rollback: the flush afterwards would otherwise take the statuses the
    # migrations created away from every test that runs after this one.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    webs: list[str]  # base URLs
    workers: list[subprocess.Popen[bytes]]
    media: Path
    sink: SmtpSink
    logs: Path

    def web(self, i: int) -> str:
        return self.webs[i % len(self.webs)]

    def enqueue(self, task: Any, *args: Any, times: int = 1) -> None:
        """Queue a task on the shared Redis, as any process with REDIS_URL would."""
        from huey import RedisHuey
        from huey.contrib.djhuey import HUEY

        # This process's own queue is SQLite (no REDIS_URL here); its registry knows
        # the tasks, and the message goes to the shared Redis the workers read.
        queue = RedisHuey(str(settings.HUEY["name"]), url=REDIS_URL)
        for _ in range(times):
            message = task.s(*args)
            queue.storage.enqueue(HUEY.serialize_task(message), message.priority)

    def output(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in self.logs.iterdir())


def _env(data_dir: Path, media: Path, sink: SmtpSink) -> dict[str, str]:
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": settings.SECRET_KEY,  # the same on every machine
        "RAPPORT_DATA_DIR": str(data_dir),  # nothing shared through local disk
        "RAPPORT_MEDIA_ROOT": str(media),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    # Its own process group, as on its own machine: a signal reaches it alone.
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def cluster(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Two web processes (gunicorn, as deploy.md runs them) and two workers, one of
    them running the scheduler."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # this test's own Redis database
    root = tmp_path_factory.mktemp("machines")
    media, logs = root / "media", root / "logs"
    media.mkdir()
    logs.mkdir()
    sink = SmtpSink().start()
    procs: list[subprocess.Popen[bytes]] = []
    webs = []
    for name in ("web-a", "web-b"):
        port = _free_port()
        command = [sys.executable, "-m", "gunicorn", "rapport.wsgi:application",
                   "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"]  # fmt: skip
        procs.append(_start(command, _env(root / name, media, sink), logs / f"{name}.log"))
        webs.append(f"http://127.0.0.1:{port}")
    workers = []
    for name, extra in (("worker-1", []), ("worker-2", ["--no-periodic"])):
        command = [sys.executable, "-m", "rapport.cli", "worker", *extra]
        workers.append(_start(command, _env(root / name, media, sink), logs / f"{name}.log"))
    procs += workers
    running = Cluster(webs, workers, media, sink, logs)
    try:
        for url in webs:
            _until(lambda url=url: _answers(f"{url}/healthz"), running, f"{url} to start")
        yield running
    finally:
        for proc in procs:
            _stop(proc)
        sink.stop()


@pytest.fixture(scope="module", autouse=True)
def _flush_survives_a_deadlock() -> Iterator[None]:
    """Between tests the database is emptied (one TRUNCATE of every table) while the
    machines' workers go on claiming rows (reactions, sweeps, every app's periodic
    work); PostgreSQL may end the TRUNCATE as a deadlock's victim. Empty it again."""
    original = flush.Command.handle

    def handle(self: flush.Command, **options: Any) -> None:
        for attempt in range(5):
            try:
                return original(self, **options)
            except CommandError as exc:
                if "deadlock" not in str(exc.__cause__) or attempt == 4:
                    raise
                time.sleep(0.5)

    flush.Command.handle = handle  # type: ignore[method-assign]
    try:
        yield
    finally:
        flush.Command.handle = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _shared_media(cluster: Cluster, settings: Any) -> None:
    # Files this process stores (raw mail, attachments) go where the machines read them.
    settings.MEDIA_ROOT = str(cluster.media)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:  # not listening yet, or still loading the app
        return False


def _until(condition: Callable[[], bool], cluster: Cluster, what: str) -> None:
    """Wait for another process's effect (there is nothing to be told about)."""
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {WAIT:.0f} s for {what}\n{cluster.output()}")
        time.sleep(0.2)


def _token(person: Any) -> dict[str, str]:
    _, key = accounts.create_token(None, person, name="machines")
    return {"Authorization": f"Bearer {key}"}


# --------------------------------------------------------------------------
# Web processes
# --------------------------------------------------------------------------


def _signer(world: World) -> None:
    """An agent of the support team with a real (Argon2) password."""
    signer = directory.create_person(None, username="signer", email="signer@example.com",
                                     staff_role="agent", password=PASSWORD)  # fmt: skip
    directory.add_team_member(None, world.support, signer)


def _sign_in(browser: requests.Session, base: str, password: str) -> requests.Response:
    browser.get(f"{base}/accounts/login/", timeout=TIMEOUT)
    return browser.post(
        f"{base}/accounts/login/",
        data={"username": "signer", "password": password,
              "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False, timeout=TIMEOUT,
    )  # fmt: skip


def test_session_from_one_web_process_works_on_the_other(cluster: Cluster, settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["rapport.core.hashers.Argon2idHasher"]  # what the servers check
    _signer(build_world())
    browser = requests.Session()
    assert _sign_in(browser, cluster.web(0), PASSWORD).status_code == 302
    desk = browser.get(f"{cluster.web(1)}/desk/", allow_redirects=False, timeout=TIMEOUT)
    assert desk.status_code == 200
    assert b"signer" in desk.content.lower()


def test_sign_in_throttling_counts_failures_on_every_web_process(
    cluster: Cluster, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["rapport.core.hashers.Argon2idHasher"]
    _signer(build_world())
    limit = settings.LOGIN_FAILURES_PER_USERNAME
    for attempt in range(limit):  # alternating, so neither process alone reaches the limit
        wrong = _sign_in(requests.Session(), cluster.web(attempt), "wrong password")
        assert wrong.status_code == 200
        assert b"do not match" in wrong.content
    for i in range(2):  # now locked on both, even with the right password
        refused = _sign_in(requests.Session(), cluster.web(i), PASSWORD)
        assert refused.status_code == 200
        assert b"Too many failed sign-ins" in refused.content


def test_reference_data_changed_on_one_web_process_is_seen_by_the_other(
    cluster: Cluster,
) -> None:
    world = build_world()
    contact, admin = _token(world.contact), _token(world.admin)
    body = {"subject": "Printer", "body": "It jams.", "provider": world.support.party_id}
    # Web B reads the agreement into its per-process copy ...
    before = requests.post(f"{cluster.web(1)}/api/v1/tickets", json=body, headers=contact,
                           timeout=TIMEOUT)  # fmt: skip
    assert before.status_code == 201, before.text
    assert before.json()["agreement"]["name"] == world.sla.name
    # ... web A renames it ...
    renamed = requests.patch(f"{cluster.web(0)}/api/v1/agreements/{world.sla.pk}",
                             json={"name": "Gold support"}, headers=admin,
                             timeout=TIMEOUT)  # fmt: skip
    assert renamed.status_code == 200, renamed.text
    # ... and web B's very next request knows.
    after = requests.post(f"{cluster.web(1)}/api/v1/tickets", json=body, headers=contact,
                          timeout=TIMEOUT)  # fmt: skip
    assert after.status_code == 201, after.text
    assert after.json()["agreement"]["name"] == "Gold support"


def test_file_uploaded_to_one_web_process_is_served_by_the_other(cluster: Cluster) -> None:
    world = build_world()
    agent = _token(world.agent)
    ticket = actions.create_ticket(world.contact, subject="Scan", body="See the scan.",
                                   provider=world.support.party)  # fmt: skip
    content = os.urandom(50_000)
    scan = ("scan.bin", content, "application/octet-stream")
    upload = requests.post(f"{cluster.web(0)}/api/v1/uploads", headers=agent, timeout=TIMEOUT,
                           files={"file": scan})  # fmt: skip
    assert upload.status_code == 201, upload.text
    reply = requests.post(f"{cluster.web(0)}/api/v1/tickets/{ticket.pk}/messages", headers=agent,
                          json={"body": "The scan, attached.",
                                "attachments": [upload.json()["token"]]},
                          timeout=TIMEOUT)  # fmt: skip
    assert reply.status_code == 201, reply.text
    attachment = reply.json()["attachments"][0]
    download = requests.get(f"{cluster.web(1)}/api/v1/attachments/{attachment['id']}",
                            headers=agent, timeout=TIMEOUT)  # fmt: skip
    assert download.status_code == 200
    assert download.content == content


# --------------------------------------------------------------------------
# Workers
# --------------------------------------------------------------------------

RACE = 4  # times each periodic job is queued at once


def test_sla_sweeper_acts_once_with_two_workers_racing(cluster: Cluster) -> None:
    from rapport.sla.tasks import sweep_clocks

    world = build_world()
    tickets = 40
    with clock.travel_to(datetime(2026, 3, 10, 10, 0, tzinfo=BERLIN)):
        for i in range(tickets):
            actions.create_ticket(
                world.agent, requester=world.contact, subject=f"Down {i}", body="Help",
                provider=world.support.party, priority=Priority.URGENT,
            )  # fmt: skip
    cluster.enqueue(sweep_clocks, times=RACE)

    def breached() -> list[tuple[int, str]]:  # (ticket, which clock)
        rows = Event.objects.filter(kind="sla_breached").values_list("ticket_id", "data")
        return [(ticket, json.dumps(data, sort_keys=True)) for ticket, data in rows]

    # Months past both the first response (30 min) and the resolution (4 h) of each.
    _until(lambda: len(breached()) >= 2 * tickets, cluster, "every clock to breach")
    cluster.enqueue(sweep_clocks, times=RACE)  # and again: nothing is due twice
    time.sleep(2)  # the repeat sweeps finding nothing is what is asserted below
    events = breached()
    assert len(events) == len(set(events)) == 2 * tickets


def test_mail_polling_takes_each_message_once_with_two_workers_racing(
    cluster: Cluster,
) -> None:
    from imapclient import IMAPClient

    from rapport.mail.tasks import poll_mailboxes

    world = build_world()
    messages = 12
    with dovecot(SUPPORT, IMAP_PASSWORD) as server:
        _imap_mailbox(world, server)
        with IMAPClient("127.0.0.1", port=server.port, ssl=False, timeout=TIMEOUT) as imap:
            imap.login(server.user, server.password)
            for n in range(messages):
                imap.append("INBOX", build(subject=f"By IMAP {n}"))
        cluster.enqueue(poll_mailboxes, times=RACE)
        _until(lambda: Ticket.objects.filter(subject__startswith="By IMAP").count() >= messages
               and not InboundMessage.objects.filter(state=InboundState.RECEIVED).exists(),
               cluster, "every polled message to become a ticket")  # fmt: skip
        cluster.enqueue(poll_mailboxes, times=RACE)
        time.sleep(2)
    subjects = list(Ticket.objects.filter(subject__startswith="By IMAP").values_list(
        "subject", flat=True))  # fmt: skip
    assert sorted(subjects) == sorted(f"By IMAP {n}" for n in range(messages))


def _imap_mailbox(world: World, server: Dovecot) -> None:
    mail_actions.create_mailbox(
        None, address=SUPPORT, provider=world.support.party, imap_host="127.0.0.1",
        imap_port=server.port, imap_tls=False, imap_username=SUPPORT,
        imap_password=IMAP_PASSWORD,
    )  # fmt: skip


def test_scheduled_digests_go_out_once_with_two_workers_racing(cluster: Cluster) -> None:
    from rapport.scorecards.models import DigestSent
    from rapport.scorecards.tasks import weekly_digests

    world = build_world()
    last_week = clock.now() - timedelta(days=7)
    with clock.travel_to(last_week):
        ticket = actions.create_ticket(world.contact, subject="Toner", body="Empty.",
                                       provider=world.support.party)  # fmt: skip
        actions.reply(world.agent, ticket, body="New toner is on its way.")
    cluster.sink.messages.clear()
    cluster.enqueue(weekly_digests, times=RACE)

    def digests() -> list[tuple[str, str]]:
        return [(str(m["To"]), str(m["Subject"])) for m in list(cluster.sink.messages)
                if "scorecard for" in str(m["Subject"])]  # fmt: skip

    _until(lambda: bool(digests()), cluster, "the weekly digest by mail")
    time.sleep(3)  # the racing copies finish (and must send nothing)
    sent = list(DigestSent.objects.values_list("provider_id", "period_kind", "period_start"))
    assert len(sent) == len(set(sent)) >= 1
    expected = sum(len(r) for r in DigestSent.objects.values_list("recipients", flat=True))
    received = digests()
    assert len(received) == len(set(received)) == expected


def test_killing_a_worker_mid_batch_loses_no_mail(cluster: Cluster) -> None:
    from rapport.mail.tasks import process_inbound_batch, sweep_received

    world = build_world()
    from rapport.mail.testing import support_mailbox

    mailbox = support_mailbox(world)
    messages = 200
    # Received a while ago, as if the machine that took them in had died since.
    with clock.travel_to(clock.now() - timedelta(minutes=10)):
        ids = [pipeline.receive(build(subject=f"Batch {n}"), transport="file",
                                mailbox=mailbox, enqueue=False).pk
               for n in range(messages)]  # fmt: skip
    for start in range(0, messages, 10):
        cluster.enqueue(process_inbound_batch, ids[start : start + 10])
    _until(lambda: Ticket.objects.filter(subject__startswith="Batch").exists(), cluster,
           "the first batch")  # fmt: skip
    victim = cluster.workers[1]
    os.killpg(victim.pid, signal.SIGKILL)  # mid-batch: no chance to finish or hand back
    victim.wait()
    # Killed with work left, or this test would prove nothing.
    assert InboundMessage.objects.filter(state=InboundState.RECEIVED).exists()
    # What the dead worker held is found again by the sweeper (its periodic job, queued
    # here rather than waited for), and the surviving worker takes it over.
    cluster.enqueue(sweep_received, times=2)
    _until(lambda: not InboundMessage.objects.filter(state=InboundState.RECEIVED).exists(),
           cluster, "the surviving worker to take over")  # fmt: skip
    subjects = list(Ticket.objects.filter(subject__startswith="Batch").values_list(
        "subject", flat=True))  # fmt: skip
    assert sorted(subjects) == sorted(f"Batch {n}" for n in range(messages))
