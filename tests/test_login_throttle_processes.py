"""Sign-in throttling holds across web processes and restarts.

Two real web servers (gunicorn, as `rapport serve` runs them) share one SQLite
database. Failures spread over both count together, the lock shows on both, and
restarting a server forgets nothing.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.test_serve import _free_port

PASSWORD = "correct horse battery staple"
LIMIT = 4  # RAPPORT_LOGIN_FAILURES for these servers


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    data = tmp_path_factory.mktemp("throttle")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(RAPPORT_DATA_DIR=str(data), RAPPORT_LOGIN_FAILURES=str(LIMIT))
    run = [sys.executable, "-m", "rapport.cli"]
    subprocess.run([*run, "migrate", "-v0"], env=env, check=True)
    create = (
        "from rapport.directory import actions as a; "
        f"a.create_person(None, username='dana', staff_role='agent', password={PASSWORD!r})"
    )
    subprocess.run([*run, "shell", "-c", create], env=env, check=True)
    return env


class Web:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "rapport.wsgi:application", "--bind",
             f"127.0.0.1:{self.port}", "--workers", "1", "--no-control-socket"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/accounts/login/", timeout=30).close()
                return
            except OSError:  # not listening yet (URLError is one)
                assert self.proc.poll() is None, log.read_text()[-2000:]
                time.sleep(0.2)
        raise AssertionError("the web server did not start")

    def sign_in(self, username: str, password: str) -> str:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"{self.base}/accounts/login/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token[1]}
        ).encode()
        request = urllib.request.Request(
            f"{self.base}/accounts/login/", data=body,
            headers={"Referer": f"{self.base}/accounts/login/"},
        )  # fmt: skip
        with opener.open(request, timeout=30) as response:
            return str(response.read().decode())

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


@pytest.fixture
def two_servers(env: dict[str, str]) -> Iterator[tuple[Web, Web, dict[str, str]]]:
    log = Path(env["RAPPORT_DATA_DIR"]) / "web.log"
    first, second = Web(env, log), Web(env, log)
    try:
        yield first, second, env
    finally:
        first.stop()
        second.stop()


def test_failures_on_two_processes_count_together_and_survive_a_restart(
    two_servers: tuple[Web, Web, dict[str, str]],
) -> None:
    first, second, env = two_servers
    # The documented limit, spread over both processes: half on each.
    for i in range(LIMIT):
        web = first if i % 2 else second
        assert "do not match" in web.sign_in("dana", "guess")
    assert "Too many failed sign-ins" in first.sign_in("dana", PASSWORD)
    assert "Too many failed sign-ins" in second.sign_in("dana", PASSWORD)
    # A restart of both servers does not reset the count.
    first.stop()
    second.stop()
    third = Web(env, Path(env["RAPPORT_DATA_DIR"]) / "web.log")
    try:
        assert "Too many failed sign-ins" in third.sign_in("dana", PASSWORD)
    finally:
        third.stop()
