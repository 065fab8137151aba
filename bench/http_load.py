"""An open-loop HTTP load generator on asyncio: requests leave at a fixed arrival rate
whether or not earlier ones have come back, as users arrive at a real service.

Latency is counted from when a request was *due*, not from when a connection was
free to send it, so a server that falls behind is charged for the queue it builds
(no coordinated omission, the flaw wrk2 was written to fix). Keep-alive
connections are reused; a response with `Connection: close` (gunicorn's sync
workers) costs a new connection, as it would for a real client.

The client is plain asyncio streams with no HTTP library: its own CPU per
request is reported next to the server's, so the table shows it is not the
bottleneck.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

TIMEOUT = 10.0  # seconds before a request counts as an error
MAX_CONNECTIONS = 400
# gunicorn closes a kept-alive connection after 2 s idle (its --keep-alive); one idle
# for longer is not reused, so a request never races the server's close.
IDLE_REUSE = 1.0


@dataclass(frozen=True)
class Request:
    kind: str
    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    expect: int = 200


@dataclass
class Outcome:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)  # a few error descriptions

    def add(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)

    def fail(self, kind: str, what: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if len(self.samples) < 5:
            self.samples.append(f"{kind}: {what}")

    @property
    def all(self) -> list[float]:
        return [s for values in self.latencies.values() for s in values]

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)] * 1e3


class Connections:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
        self.open = 0
        self.freed = asyncio.Condition()

    async def take(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        while True:
            while self.idle:
                reader, writer, since = self.idle.pop()
                if time.monotonic() - since < IDLE_REUSE:
                    return reader, writer
                self.open -= 1
                writer.close()
            if self.open < MAX_CONNECTIONS:
                self.open += 1
                try:
                    return await asyncio.open_connection(self.host, self.port)
                except OSError:
                    self.open -= 1
                    raise
            async with self.freed:
                await self.freed.wait()

    async def give(
        self, conn: tuple[asyncio.StreamReader, asyncio.StreamWriter], *, reuse: bool
    ) -> None:
        if reuse:
            self.idle.append((*conn, time.monotonic()))
        else:
            self.open -= 1
            conn[1].close()
        async with self.freed:
            self.freed.notify()

    def close(self) -> None:
        for _, writer, _ in self.idle:
            writer.close()
        self.idle.clear()


async def _exchange(conns: Connections, request: Request) -> tuple[int, bytes]:
    reader, writer = conn = await conns.take()
    reuse = False
    try:
        head = [f"{request.method} {request.path} HTTP/1.1", f"Host: {conns.host}"]
        head += [f"{k}: {v}" for k, v in request.headers]
        if request.body:
            head.append(f"Content-Length: {len(request.body)}")
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + request.body)
        await writer.drain()
        header = await reader.readuntil(b"\r\n\r\n")
        lines = header.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        fields = {}
        for line in lines[1:]:
            if ":" in line:
                name, _, value = line.partition(":")
                fields[name.strip().lower()] = value.strip()
        if "content-length" in fields:
            body = await reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                body += await reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            body = await reader.read()
        reuse = fields.get("connection", "").lower() != "close" and "content-length" in fields
        return status, body
    finally:
        await conns.give(conn, reuse=reuse)


async def _one(conns: Connections, request: Request, due: float, outcome: Outcome,
               counted: bool) -> None:  # fmt: skip
    try:
        status, body = await asyncio.wait_for(_exchange(conns, request), TIMEOUT)
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
        if counted:
            outcome.fail(request.kind, f"{type(error).__name__} {error}"[:200])
        return
    elapsed = time.perf_counter() - due
    if not counted:
        return
    if status != request.expect:
        outcome.fail(request.kind, f"{status} on {request.method} {request.path}: {body[:160]!r}")
    else:
        outcome.add(request.kind, elapsed)


@dataclass(frozen=True)
class Step:
    rate: float
    seconds: float
    outcome: Outcome
    client_cpu: float  # seconds of this process's CPU
    sent: int

    @property
    def p50(self) -> float:
        return percentile(self.outcome.all, 0.50)

    @property
    def p95(self) -> float:
        return percentile(self.outcome.all, 0.95)

    @property
    def p99(self) -> float:
        return percentile(self.outcome.all, 0.99)


async def _drive(host: str, port: int, rate: float, seconds: float, warmup: float,
                 next_request: Callable[[int], Request], seed: int) -> Step:  # fmt: skip
    conns = Connections(host, port)
    outcome = Outcome()
    rng = random.Random(seed)
    tasks: set[asyncio.Task[None]] = set()
    began = time.perf_counter()
    cpu = time.process_time()
    due = began
    i = 0
    counted_sent = 0
    while True:
        # Poisson arrivals: the gaps of independent users, not a metronome.
        due += rng.expovariate(rate)
        if due - began > warmup + seconds:
            break
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        counted = due - began >= warmup
        counted_sent += counted
        task = asyncio.create_task(_one(conns, next_request(i), due, outcome, counted))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        i += 1
    if tasks:
        await asyncio.wait(tasks, timeout=TIMEOUT + 1)
    conns.close()
    return Step(rate, seconds, outcome, time.process_time() - cpu, counted_sent)


def drive(host: str, port: int, *, rate: float, seconds: float, warmup: float,
          next_request: Callable[[int], Request], seed: int = 1) -> Step:  # fmt: skip
    """Send requests at `rate` per second for `warmup + seconds`; only the requests due
    after the warm-up are counted."""
    return asyncio.run(_drive(host, port, rate, seconds, warmup, next_request, seed))
