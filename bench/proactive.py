"""`make bench-proactive`: the proactive app's figures, on SQLite, in a few minutes.

    RAPPORT_DATA_DIR=var/bench-proactive python bench/proactive.py

1. Sentiment: the cost of scoring one client message (p50, p95; target p95 <= 2 ms)
   over generated support messages of one to eight sentences.
2. Mail intake with and without scoring: the mail bench's ingest (bench/mail.py), run
   back to back on a fresh database each time (off, on, off, on); target: scoring
   costs at most 10 %. The machine may be shared: compare the CPU per message too.
3. At-risk scores for 10,000 clients (target <= 5 s), on bulk-generated tickets.
4. Breach forecast backtest over a generated history of clocks: the Brier score of
   the model against the naive baseline (the fraction of time already used), and the
   median warning lead time. The model must beat the baseline.

The database named by the settings is deleted and recreated first.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SCORE_TARGET_MS = 2.0
INTAKE_SLOWDOWN = 0.10
RISK_TARGET_S = 5.0

ANGRY = (
    "This is unacceptable.",
    "I am extremely disappointed with your service.",
    "Nobody has answered for a week, which is ridiculous.",
    "We are losing money every hour.",
    "Your last update made everything worse.",
    "Terrible experience so far.",
)
KIND = (
    "Thanks a lot for the quick help!",
    "Great, that worked perfectly.",
    "Much appreciated, have a nice day.",
    "You have been very helpful.",
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000, help="messages scored")
    parser.add_argument("--mail", type=int, default=600, help="e-mails per intake run")
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--clocks", type=int, default=20_000, help="clocks in the backtest")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--force", action="store_true", help="recreate a non-bench database")
    return parser.parse_args()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


# --- 1. sentiment --------------------------------------------------------------


def support_message(rng: random.Random) -> str:
    from bench.dataset import DETAILS, FOLLOW_UPS, OBJECTS, PLACES, PROBLEMS

    first = f"The {rng.choice(OBJECTS)[0]} {rng.choice(PROBLEMS)} {rng.choice(PLACES)}."
    pool = DETAILS + FOLLOW_UPS + ANGRY + KIND
    return " ".join([first, *(rng.choice(pool) for _ in range(rng.randint(0, 7)))])


def bench_sentiment(count: int, seed: int) -> None:
    from rapport.proactive.sentiment import score

    rng = random.Random(seed)
    texts = [support_message(rng) for _ in range(count)]
    score(texts[0])  # the lexicon loads once per process, not per message
    took = []
    for text in texts:
        began = time.perf_counter()
        score(text)
        took.append((time.perf_counter() - began) * 1000)
    p95 = pct(took, 0.95)
    print(
        f"  sentiment: {count:,} messages of 1–8 sentences: p50 {statistics.median(took):.3f} ms, "
        f"p95 {p95:.3f} ms, max {max(took):.2f} ms (target p95 <= {SCORE_TARGET_MS} ms) "
        f"{'ok' if p95 <= SCORE_TARGET_MS else 'MISSED'}"
    )


# --- 2. mail intake with and without scoring --------------------------------------


def fresh(force: bool) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from bench.run import fresh_database

    connections.close_all()
    fresh_database(settings.DATABASES["default"], force=force)
    call_command("migrate", verbosity=0, interactive=False)


def bench_intake(count: int, seed: int, force: bool) -> None:
    from bench.mail import ingest
    from rapport.proactive.sentiment import score
    from rapport.tickets import sentiment

    runs: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    for scoring in (False, True, False, True):
        sentiment.register(score if scoring else (lambda text: None))
        fresh(force)
        result = ingest(count, seed)
        samples: list[float] = result["samples"]  # type: ignore[assignment]
        cpu: float = result["cpu"]  # type: ignore[assignment]
        runs[scoring].append((len(samples) / sum(samples), cpu * 1000 / count))
        print(
            f"    intake {'with' if scoring else 'without'} scoring: "
            f"{runs[scoring][-1][0]:,.0f} messages/s, CPU {runs[scoring][-1][1]:.2f} ms per "
            "message",
            flush=True,
        )
    sentiment.register(score)
    off_rate = statistics.mean(r for r, _ in runs[False])
    on_rate = statistics.mean(r for r, _ in runs[True])
    off_cpu = statistics.mean(c for _, c in runs[False])
    on_cpu = statistics.mean(c for _, c in runs[True])
    slower = 1 - on_rate / off_rate
    print(
        f"  mail intake: {off_rate:,.0f}/s without scoring, {on_rate:,.0f}/s with "
        f"({slower:+.1%} slower; CPU {off_cpu:.2f} → {on_cpu:.2f} ms per message) "
        f"(target <= {INTAKE_SLOWDOWN:.0%}) {'ok' if slower <= INTAKE_SLOWDOWN else 'MISSED'}"
    )


# --- 3. at-risk scores -------------------------------------------------------------


def bench_at_risk(clients: int, seed: int, force: bool) -> None:
    from rapport.core.choices import Priority, StatusCategory
    from rapport.directory.models import Party, PartyKind
    from rapport.proactive.actions import snapshot_risks
    from rapport.proactive.risk import assess
    from rapport.sla.models import TicketClock
    from rapport.testing import build_world
    from rapport.tickets.models import Event, Message, Status, Ticket

    fresh(force)
    rng = random.Random(seed)
    world = build_world()
    now = datetime.now(UTC)
    status = Status.objects.filter(category=StatusCategory.OPEN).first()
    began = time.perf_counter()
    # Bulk rows, not actions: the figure is the scoring's, not the seeding's.
    parties = Party.objects.bulk_create(
        [Party(kind=PartyKind.CUSTOMER, name=f"Client {i}") for i in range(clients)]
    )
    tickets = Ticket.objects.bulk_create(
        [
            Ticket(
                subject="Generated",
                requester=world.contact,
                client_party=p,
                provider_party=world.support.party,
                agreement=world.sla,
                priority=Priority.NORMAL,
                status=status,
                status_category=status.category,
                created_at=now - timedelta(days=rng.uniform(0, 120)),
                updated_at=now,
            )
            for p in parties
            for _ in range(rng.choice((1, 2, 3, 4, 8)))
        ],
        batch_size=2000,
    )
    Message.objects.bulk_create(
        [
            Message(
                ticket=t,
                author=world.contact,
                author_side="client",
                body_html="",
                body_text="",
                created_at=t.created_at,
                sentiment=rng.uniform(-1, 0.6),
            )
            for t in tickets
        ],
        batch_size=2000,
    )
    Event.objects.bulk_create(
        [
            Event(ticket=t, created_at=now - timedelta(days=rng.uniform(0, 20)), kind="reopened")
            for t in tickets
            if rng.random() < 0.05
        ],
        batch_size=2000,
    )
    TicketClock.objects.bulk_create(
        [
            TicketClock(
                ticket=t,
                kind="resolution",
                agreement=world.sla,
                priority=2,
                target_minutes=600,
                state="fulfilled",
                started_at=t.created_at,
                used_us=rng.randint(1, 900) * 60_000_000,
                breached_at=now - timedelta(hours=1) if rng.random() < 0.1 else None,
            )
            for t in tickets
        ],
        batch_size=2000,
    )
    print(
        f"    seeded {clients:,} clients, {len(tickets):,} tickets in "
        f"{time.perf_counter() - began:.1f} s",
        flush=True,
    )
    began = time.perf_counter()
    found = assess(now)
    scored = time.perf_counter() - began
    began = time.perf_counter()
    snapshot_risks(now)
    stored = time.perf_counter() - began
    at_risk = sum(1 for a in found if a.at_risk)
    print(
        f"  at-risk: {len(found):,} clients scored in {scored:.2f} s (target <= {RISK_TARGET_S} s) "
        f"{'ok' if scored <= RISK_TARGET_S else 'MISSED'}; with snapshots and outreach tasks "
        f"{stored:.2f} s; {at_risk:,} at risk"
    )


# --- 4. forecast backtest ------------------------------------------------------------


def simulate(rng: random.Random, count: int) -> list[tuple[str, int, float, float, float]]:
    """Clocks as (kind, priority, load, handling as a fraction of target, queue norm).

    The truth behind the data: each priority and clock kind has its own spread of
    handling times (lognormal), and a busier queue stretches them in proportion."""
    rows = []
    for _ in range(count):
        kind = rng.choice(("first_response", "resolution"))
        priority = rng.choice((1, 2, 3, 4))
        median = {1: 0.45, 2: 0.6, 3: 0.75, 4: 0.9}[priority] * (
            0.7 if kind == "first_response" else 1
        )
        queue = rng.lognormvariate(1.5, 0.6)  # clocks ahead in the provider's queue
        load = (queue + 1) / (math.exp(1.5) + 1)
        handling = median * load**0.8 * rng.lognormvariate(0, 0.45)
        rows.append((kind, priority, queue, handling, math.exp(1.5)))
    return rows


def bench_forecast(count: int, seed: int) -> None:
    from rapport.proactive import forecast

    rng = random.Random(seed)
    history_rows = simulate(rng, count)
    test_rows = simulate(rng, count // 2)
    model = forecast.history(
        (kind, priority, math.inf if h > 1 else h) for kind, priority, _, h, _ in history_rows
    )
    predicted, naive, outcome = [], [], []
    leads_model, leads_threshold = [], []
    false_alarms = kept = 0
    checkpoints = [i / 20 for i in range(20)]  # every 5 % of the target
    for kind, priority, queue, handling, norm in test_rows:
        breached = 1 if handling > 1 else 0
        curve = model.for_clock(kind, priority)
        load = forecast.load_ratio(queue, norm, None, 0)
        warned_model = None
        for u in checkpoints:
            if u >= handling:  # done before this checkpoint: no longer a live clock
                break
            p = forecast.probability(curve, u, load)
            predicted.append(p)
            naive.append(u)
            outcome.append(breached)
            if warned_model is None and p >= forecast.WARN_AT:
                warned_model = u
        if not breached:
            kept += 1
            false_alarms += warned_model is not None
        if breached:
            # Lead time: how much of the target was left when the warning came; the
            # agreement's first threshold is 50 % used.
            leads_model.append(1 - warned_model if warned_model is not None else 0.0)
            leads_threshold.append(0.5)
    model_brier = forecast.brier(predicted, outcome)
    naive_brier = forecast.brier(naive, outcome)
    warned = [lead for lead in leads_model if lead > 0]
    caught = len(warned) / len(leads_model) if leads_model else 0
    median_lead = forecast.median(warned) or 0
    print(
        f"  forecast backtest: {count:,} finished clocks learned, {len(test_rows):,} tested "
        f"at every 5 % of their target ({len(outcome):,} forecasts); Brier {model_brier:.4f} "
        f"against the naive {naive_brier:.4f} (fraction of time used) "
        f"{'ok: beats the baseline' if model_brier < naive_brier else 'MISSED'}"
    )
    print(
        f"    warnings at P >= {forecast.WARN_AT}: {caught:.0%} of the breaches warned, median "
        f"lead {median_lead:.0%} of the target before the breach; "
        f"{false_alarms / max(kept, 1):.0%} of the clocks met were warned too "
        f"(the first threshold, at 50 % "
        f"used, leaves {statistics.median(leads_threshold) if leads_threshold else 0:.0%})"
    )


def main() -> int:
    args = parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "rapport.settings"
    import django

    from bench.mail import setup

    setup()
    assert django.apps.apps.ready
    from django.db import connection

    print(
        f"Proactive benchmark on {connection.vendor} (a shared machine: figures are noisy)",
        flush=True,
    )
    bench_sentiment(args.messages, args.seed)
    bench_forecast(args.clocks, args.seed)
    bench_at_risk(args.clients, args.seed, args.force)
    bench_intake(args.mail, args.seed, args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
