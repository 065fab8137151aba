"""`make bench-http`: `rapport serve` on a seeded data set, driven over real HTTP.

    RAPPORT_DATA_DIR=var/bench-http python bench/http_bench.py --tickets 100000          # SQLite
    DATABASE_URL=postgres://…/rapport_httpbench python bench/http_bench.py --tickets …  # PostgreSQL

The data set is seeded once (bench/seeding.py, as `make bench` does) and kept: a
marker beside the data records its size, and a later run reuses it. Then the
server is started as users run it and an open-loop client (bench/http_load.py)
sends the mix below at stepped arrival rates; the highest rate held with p95 ≤
100 ms and no error is reported, with p50/p95/p99, the server's CPU per request
and each web process's peak memory. The floor (a trivial page through the same
middleware) and the ticket page alone are stepped the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.http_load import Request, Step, drive, percentile  # noqa: E402

P95_LIMIT = 100.0  # ms
RATE_TARGET = 150.0  # requests/s, the mix on a 2-core machine
# The mix of one desk in use (shares of requests, in percent).
MIX = (("queue", 40), ("ticket", 25), ("search", 10), ("api list", 10), ("reply", 10),
       ("create", 5))  # fmt: skip
RATES = (10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 120, 140, 160, 180, 200, 240, 280, 320,
         360, 400, 480, 560, 640, 800, 1000)  # fmt: skip
SEARCH_WORDS = ("printer", "zeppelin", "invoice", "password", "laptop")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per step")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds per step")
    parser.add_argument("--web-workers", type=int, default=None, help="default: serve's")
    parser.add_argument("--web-threads", type=int, default=None, help="default: serve's")
    parser.add_argument("--label", default="", help="what this run measures (for the table)")
    parser.add_argument(
        "--only", default="mix,floor,ticket", help="comma-separated: mix, floor, ticket"
    )
    parser.add_argument("--start-rate", type=float, default=20.0)
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument(
        "--profile", type=float, default=0,
        help="instead of stepping: record the web processes with py-spy for this many "
        "seconds of the mix at --start-rate and print where the time goes",
    )  # fmt: skip
    parser.add_argument("--force", action="store_true")
    return parser.parse_args(argv)


# --------------------------------------------------------------------------
# The data set, seeded once
# --------------------------------------------------------------------------


def ensure_seeded(tickets: int, *, force: bool) -> None:
    """Django set up on a bench database holding `tickets` seeded tickets."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "rapport.settings"
    from django.conf import settings

    db = settings.DATABASES["default"]
    marker = Path(settings.DATA_DIR) / f"seeded-{Path(str(db['NAME'])).name}.json"
    if marker.exists() and json.loads(marker.read_text()).get("tickets") == tickets:
        import django

        django.setup()
        print(f"reusing the seeded data set ({tickets:,} tickets, {marker})", flush=True)
        return
    from bench import run

    marker.unlink(missing_ok=True)
    run.start(force=force)
    from bench import suite
    from bench.dataset import build_directory
    from bench.loaders import analyze

    directory = build_directory()
    seeding = argparse.Namespace(batch=5_000, workers=os.cpu_count() or 2)
    seconds = suite.seed(directory, seeding, total=tickets, seed=1234)
    analyze()
    print(f"seeded {tickets:,} tickets in {seconds:.0f} s", flush=True)
    marker.write_text(json.dumps({"tickets": tickets}))


@dataclass(frozen=True)
class Credentials:
    agent_cookie: str
    agent_token: str
    contact_token: str
    provider: int
    tickets: list[int]  # numbers the agent may open


def credentials() -> Credentials:
    from django.conf import settings
    from django.db import connections
    from django.test import Client

    from rapport.accounts import actions as accounts
    from rapport.directory.models import Person, TeamMembership
    from rapport.directory.queries import scope_for
    from rapport.tickets.queries import visible_tickets

    agent = Person.objects.get(username="agent")
    contact = Person.objects.get(username="contact")
    browser = Client()
    browser.force_login(agent)
    cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
    _, agent_token = accounts.create_token(None, agent, name="bench-http")
    _, contact_token = accounts.create_token(None, contact, name="bench-http")
    visible = list(visible_tickets(scope_for(agent)).values_list("pk", flat=True)[:50_000])
    provider = TeamMembership.objects.filter(person=agent).values_list("team__party_id", flat=True)[
        0
    ]
    connections.close_all()  # nothing of this process holds the database during the run
    return Credentials(
        agent_cookie=f"{settings.SESSION_COOKIE_NAME}={cookie}",
        agent_token=agent_token,
        contact_token=contact_token,
        provider=provider,
        tickets=random.Random(7).sample(visible, min(5_000, len(visible))),
    )


# --------------------------------------------------------------------------
# The requests
# --------------------------------------------------------------------------


def requests_for(creds: Credentials, what: str, seed: int = 1) -> Callable[[int], Request]:
    rng = random.Random(seed)
    browser = (("Cookie", creds.agent_cookie),)
    agent = (("Authorization", f"Bearer {creds.agent_token}"),)
    contact = (("Authorization", f"Bearer {creds.contact_token}"),)
    as_json = (("Content-Type", "application/json"),)
    queues = ("/desk/", "/desk/q/team/", "/desk/q/unassigned/")

    def make(kind: str) -> Request:
        number = rng.choice(creds.tickets)
        if kind == "floor":
            return Request(kind, "GET", "/bench/floor", browser)
        if kind == "queue":
            return Request(kind, "GET", rng.choice(queues), browser)
        if kind == "ticket":
            return Request(kind, "GET", f"/desk/t/{number}/", browser)
        if kind == "search":
            return Request(kind, "GET", f"/api/v1/tickets?q={rng.choice(SEARCH_WORDS)}", agent)
        if kind == "api list":
            return Request(kind, "GET", "/api/v1/tickets", agent)
        if kind == "reply":
            body = json.dumps({"body": "Thanks, we are looking into it.", "internal": True})
            return Request(kind, "POST", f"/api/v1/tickets/{number}/messages", agent + as_json,
                           body.encode(), expect=201)  # fmt: skip
        body = json.dumps({"subject": "The printer jams again", "body": "Every page.",
                           "provider": creds.provider})  # fmt: skip
        return Request(kind, "POST", "/api/v1/tickets", contact + as_json, body.encode(), 201)

    kinds = [kind for kind, share in MIX for _ in range(share)]
    if what == "mix":
        return lambda i: make(rng.choice(kinds))
    return lambda i: make(what)


# --------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`rapport serve` in its own process group, as an operator starts it."""

    def __init__(self, args: argparse.Namespace, log: Path) -> None:
        self.port = free_port()
        command = [str(Path(sys.executable).with_name("rapport")), "serve", "--port",
                   str(self.port), "--smtp-port", "0"]  # fmt: skip
        if args.web_workers:
            command += ["--web-workers", str(args.web_workers)]
        if args.web_threads:
            command += ["--web-threads", str(args.web_threads)]
        env = dict(os.environ, RAPPORT_URLCONF="bench.http_urls", RAPPORT_MAIL_NOTIFY="0",
                   PYTHONPATH=str(ROOT))  # fmt: skip
        env.pop("REDIS_URL", None)  # one box: the queue beside the database
        self.log = log.open("w")
        self.proc = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True, cwd=ROOT)  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"rapport serve exited; see {log}") from None
                time.sleep(0.5)
        raise RuntimeError(f"rapport serve did not answer in 120 s; see {log}")

    def tree(self) -> list[int]:
        """The server's processes (the supervisor and every descendant)."""
        parents: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(stat.parent.name)] = int(fields[1])
        found, frontier = [self.proc.pid], [self.proc.pid]
        while frontier:
            frontier = [pid for pid, parent in parents.items() if parent in frontier]
            found += frontier
        return found

    def cpu_seconds(self) -> float:
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.tree():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime + stime
        return total / ticks

    def web_peak_mib(self) -> float:
        """The largest peak resident size (VmHWM) of a gunicorn worker."""
        peaks = [0.0]
        for pid in self.tree():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            if b"gunicorn" not in cmdline:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return max(peaks)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, 9)
        self.log.close()


# --------------------------------------------------------------------------
# Stepping the rate
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Held:
    what: str
    step: Step | None  # the highest rate held, if any
    cpu_ms: float  # server CPU per request at that rate
    client_cpu_ms: float
    lowest_cpu_ms: float = 0.0  # server CPU per request at the lowest rate tried

    def row(self) -> str:
        if self.step is None:
            return f"| {self.what} | none held | | | | | |"
        s = self.step
        return (f"| {self.what} | {s.rate:.0f}/s | {s.p50:.1f} | {s.p95:.1f} | {s.p99:.1f} "
                f"| {self.cpu_ms:.1f} | {self.client_cpu_ms:.2f} |")  # fmt: skip


def step_up(server: Server, creds: Credentials, what: str, args: argparse.Namespace) -> Held:
    best: Held | None = None
    lowest = 0.0
    for rate in [r for r in RATES if r >= args.start_rate]:
        cpu = server.cpu_seconds()
        step = drive("127.0.0.1", server.port, rate=rate, seconds=args.seconds,
                     warmup=args.warmup,
                     next_request=requests_for(creds, what, seed=rate))  # fmt: skip
        used = server.cpu_seconds() - cpu
        done = len(step.outcome.all) + step.outcome.error_count
        # The server's CPU over warm-up and measured part, per request sent in both.
        per_request = used / max(1, done * (args.seconds + args.warmup) / args.seconds) * 1e3
        held = step.p95 <= P95_LIMIT and step.outcome.error_count == 0
        lowest = lowest or per_request
        print(f"  {what} at {rate}/s: p50 {step.p50:.1f} p95 {step.p95:.1f} p99 {step.p99:.1f} ms,"
              f" {step.outcome.error_count} errors, server CPU {per_request:.1f} ms/request, "
              f"client CPU {step.client_cpu / max(1, done) * 1e3:.2f} ms/request"
              + ("" if held else "  <- not held"), flush=True)  # fmt: skip
        if what == "mix":
            kinds = sorted(step.outcome.latencies.items())
            print("    " + ", ".join(f"{kind} p50 {percentile(values, 0.5):.0f} "
                                     f"p95 {percentile(values, 0.95):.0f}"
                                     for kind, values in kinds), flush=True)  # fmt: skip
        for sample in step.outcome.samples[:3]:
            print(f"    {sample}", flush=True)
        if not held:
            break
        best = Held(what, step, per_request, step.client_cpu / max(1, done) * 1e3, lowest)
        time.sleep(1)  # let the last step's stragglers finish
    return best or Held(what, None, 0, 0, lowest)


def _frame(raw: str) -> str:
    """'function (path:line)' as 'function file', Rapport's own marked 'rapport.'."""
    function, _, where = raw.partition(" (")
    ours = "rapport/" in where and "site-packages" not in where
    return ("rapport." if ours else "") + function + " " + where.split(":")[0].rsplit("/", 1)[-1]


def profile(server: Server, creds: Credentials, args: argparse.Namespace) -> None:
    """py-spy over every web process during the mix: the functions (ours, Django's,
    the drivers') that hold the most samples, inclusive and on their own."""
    import collections
    import shutil

    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    webs = [pid for pid in server.tree()
            if b"gunicorn" in Path(f"/proc/{pid}/cmdline").read_bytes()]  # fmt: skip
    folder = Path(server.log.name).parent
    recorders = [
        subprocess.Popen([spy, "record", "--pid", str(pid), "--duration", str(int(args.profile)),
                          "--rate", "200", "--format", "raw", "--nonblocking", "--output",
                          str(folder / f"profile-{pid}.txt")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for pid in webs[1:]  # the first is gunicorn's master, which serves nothing
    ]  # fmt: skip
    step = drive("127.0.0.1", server.port, rate=args.start_rate, seconds=args.profile,
                 warmup=0, next_request=requests_for(creds, "mix"))  # fmt: skip
    for recorder in recorders:
        recorder.wait()
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for path in folder.glob("profile-*.txt"):
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            frames = [_frame(f) for f in stack.split(";")]
            n = int(count)
            total += n
            own[frames[-1]] += n
            for frame in set(frames):
                inclusive[frame] += n
        path.unlink()
    print(f"\n{total} samples over {len(recorders)} web processes; mix at {args.start_rate}/s: "
          f"p50 {step.p50:.0f} ms, p95 {step.p95:.0f} ms")  # fmt: skip
    print("\nmost samples, inclusive (share of all):")
    for frame, n in inclusive.most_common(45):
        print(f"  {100 * n / max(1, total):5.1f} %  {frame}")
    print("\nRapport's own functions, inclusive:")
    ours = [(frame, n) for frame, n in inclusive.most_common() if frame.startswith("rapport.")]
    for frame, n in ours[:30]:
        print(f"  {100 * n / max(1, total):5.1f} %  {frame}")
    print("\nmost samples on their own:")
    for frame, n in own.most_common(25):
        print(f"  {100 * n / max(1, total):5.1f} %  {frame}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    ensure_seeded(args.tickets, force=args.force)
    from django.conf import settings
    from django.db import connection

    creds = credentials()
    vendor = connection.vendor
    log = Path(settings.DATA_DIR) / f"serve-{vendor}.log"
    server = Server(args, log)
    print(f"rapport serve on port {server.port} ({vendor}); log in {log}", flush=True)
    results: list[Held] = []
    if args.profile:
        try:
            profile(server, creds, args)
        finally:
            server.stop()
        return 0
    try:
        # Every process and thread opens its connection, fills its caches and compiles
        # its templates before anything is measured.
        drive("127.0.0.1", server.port, rate=10, seconds=0.1, warmup=10,
              next_request=requests_for(creds, "mix", seed=0))  # fmt: skip
        for what in args.only.split(","):
            print(f"stepping {what}", flush=True)
            results.append(step_up(server, creds, what, args))
        memory = server.web_peak_mib()
    finally:
        server.stop()
    label = (
        args.label
        or f"workers={args.web_workers or 'default'} threads={args.web_threads or 'default'}"
    )
    print(f"\n## {vendor}, {args.tickets:,} tickets, {label} (load: {os.getloadavg()[0]:.1f})\n")
    print("| workload | highest rate held (p95 ≤ 100 ms, 0 errors) | p50 ms | p95 ms | p99 ms "
          "| server CPU ms/request | client CPU ms/request |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for held in results:
        print(held.row())
    rates = {h.what: h.step.rate for h in results if h.step}
    if "floor" in rates and "ticket" in rates:
        print(f"\nticket page alone: {100 * rates['ticket'] / rates['floor']:.0f} % of the floor")
    cores = os.cpu_count() or 1
    for held in results:
        # What the CPU alone would allow if the machine were the server's alone.
        print(f"{held.what}: {held.lowest_cpu_ms:.1f} ms of server CPU per request at the "
              f"lowest rate; {cores} idle cores could serve at most "
              f"{cores * 1000 / max(held.lowest_cpu_ms, 0.01):.0f}/s")  # fmt: skip
    print(f"peak memory of a web process: {memory:.0f} MiB (budget 150)")
    if "mix" in rates:
        verdict = "met" if rates["mix"] >= RATE_TARGET else "missed"
        print(f"mix target ≥ {RATE_TARGET:.0f}/s at p95 ≤ {P95_LIMIT:.0f} ms: {verdict}")
    if args.json:
        args.json.write_text(json.dumps({
            "database": vendor, "label": label, "memory_mib": memory,
            "rows": {h.what: None if h.step is None else {
                "rate": h.step.rate, "p50": h.step.p50, "p95": h.step.p95, "p99": h.step.p99,
                "cpu_ms": h.cpu_ms} for h in results},
        }, indent=1))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
