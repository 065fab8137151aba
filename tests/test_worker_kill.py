"""Killing the background worker costs no web request an error (SQLite).

`rapport serve`'s web server on a fresh SQLite database, tickets created through
the API by four clients at once; the worker is killed with SIGKILL mid-load, stays
down for a while (as when serve's restart brake holds it back), then starts again
and catches up with everything queued meanwhile. Before, the
restarted worker's back-to-back write transactions starved the web's writers for
10–60 s ("database is locked", 500); see `rapport.core.sqlite.base`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from tests.test_serve import _free_port, _wait_healthy

SETUP = """
from rapport.accounts import actions as tokens
from rapport.testing import build_world
world = build_world()
_, key = tokens.create_token(None, world.people["contact"], name="load")
print(key, world.support.party.pk)
"""


def _worker(run: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([*run, "worker"], env=env, stdout=out, stderr=subprocess.STDOUT)


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="about SQLite's write lock; PostgreSQL has row locks")  # fmt: skip
def test_a_killed_worker_costs_no_web_request_an_error(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        RAPPORT_DATA_DIR=str(tmp_path), RAPPORT_WEB_WORKERS="2", RAPPORT_SMTP_PORT="0",
        EMAIL_PORT=str(_free_port()),  # outbound mail stays queued: nobody listens
    )  # fmt: skip
    run = [sys.executable, "-m", "rapport.cli"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True)
    key, provider = subprocess.run(
        [*run, "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True
    ).stdout.split()[-2:]
    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen(
        [*run, "serve", "--port", str(port), "--no-worker"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    outcomes: Counter[int | str] = Counter()
    failures: list[str] = []
    stop = threading.Event()

    def create() -> None:
        body = json.dumps({"subject": "Load", "body": "Printer on fire", "provider": int(provider)})
        while not stop.is_set():
            request = urllib.request.Request(
                f"{base}/api/v1/tickets", data=body.encode(),
                headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            )  # fmt: skip
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    outcomes[response.status] += 1
            except urllib.error.HTTPError as exc:
                outcomes[exc.code] += 1
                failures.append(exc.read().decode()[:200])
            except OSError as exc:  # a connection error is a failure too
                outcomes["error"] += 1
                failures.append(repr(exc))

    workers = [_worker(run, env, tmp_path / "worker.log")]
    try:
        assert _wait_healthy(base, serve).get("status") == "ok"
        clients = [threading.Thread(target=create) for _ in range(4)]
        for client in clients:
            client.start()
        time.sleep(5)
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait()
        time.sleep(20)  # the queue and the outbox grow
        workers.append(_worker(run, env, tmp_path / "worker.log"))
        time.sleep(30)  # the new worker catches up while the load goes on
        stop.set()
        for client in clients:
            client.join()
    finally:
        stop.set()
        os.killpg(serve.pid, signal.SIGTERM)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
        log.close()
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)
    server_errors = {k: v for k, v in outcomes.items() if k == "error" or int(k) >= 500}
    assert not server_errors, (outcomes, failures[:3])
    assert outcomes[201] > 100, outcomes
