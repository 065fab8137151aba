"""A real worker process takes queued work and /healthz reports it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from rapport.core.tasks import ping


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db: None) -> Iterator[subprocess.Popen[bytes]]:
    """A worker process on the test database (committed data, so it can see it)."""
    env = {**os.environ, "DATABASE_URL": _database_url()}
    proc = subprocess.Popen(
        [sys.executable, "-m", "rapport.cli", "worker", "--no-periodic"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield proc
    proc.terminate()
    proc.wait(timeout=20)


def test_healthz_reports_database_and_silent_worker(db: None) -> None:
    report = Client().get("/healthz")
    assert report.status_code == 200
    body = report.json()
    assert body["database"] == "ok"
    assert body["worker"]["status"] == "unknown"
    assert body["status"] == "degraded"


# serialized_rollback: the flush after a transactional test would otherwise take the
# statuses the migrations created away from every test that runs after this one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_runs_queued_task_and_turns_health_green(
    worker: subprocess.Popen[bytes],
) -> None:
    assert settings.DATABASES["default"]["NAME"] != ":memory:"
    ping()
    deadline = time.monotonic() + 60
    body = Client().get("/healthz").json()
    while body["worker"]["status"] != "ok" and time.monotonic() < deadline:
        assert worker.poll() is None, worker.stdout.read().decode() if worker.stdout else ""
        time.sleep(0.2)  # polling /healthz until the worker's heartbeat lands
        body = Client().get("/healthz").json()
    assert body["worker"]["status"] == "ok"
    assert body["status"] == "ok"
