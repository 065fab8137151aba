"""`make run` end to end: `rapport serve` on a fresh SQLite database, with the demo,
a real web server and worker; sign in, then use the API with a token as each role."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import smtplib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rapport.demo.builder import PASSWORD


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    data = tmp_path_factory.mktemp("serve")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    smtp_port = _free_port()
    env.update(
        RAPPORT_DATA_DIR=str(data),
        RAPPORT_WEB_WORKERS="1",
        RAPPORT_SMTP_PORT=str(smtp_port),
        # Outbound notifications go to a port nobody listens on: they stay queued.
        EMAIL_PORT=str(_free_port()),
    )
    log = (data / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "rapport.cli", "serve", "--port", str(port), "--demo-if-empty"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    info = {
        "base": base, "env": env, "health": {}, "proc": proc, "log": data / "serve.log",
        "smtp_port": smtp_port,
    }  # fmt: skip
    try:  # whatever fails from here on, the server and its children are stopped
        info["health"] = _wait_healthy(base, proc)
        assert info["health"].get("status") == "ok", (data / "serve.log").read_text()[-3000:]
        yield info
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def _wait_healthy(base: str, proc: subprocess.Popen[bytes]) -> dict[str, Any]:
    deadline = time.monotonic() + 180
    health: dict[str, Any] = {}
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                health = json.load(response)
            if health.get("status") == "ok":
                break
        except (urllib.error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError):
            # Not up yet: refused, or (on a busy machine) too slow to answer while the
            # web worker is still importing the app.
            pass
        time.sleep(0.5)  # polling /healthz: the condition we wait for is "status ok"
    return health


def _token(server: dict[str, Any], username: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "rapport.cli", "token", "create", username],
        env=server["env"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def _api(server: dict[str, Any], token: str, path: str, body: Any = None) -> Any:
    request = urllib.request.Request(
        server["base"] + "/api/v1" + path,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_serve_reports_healthy_web_and_worker(server: dict[str, Any]) -> None:
    assert server["health"]["database"] == "ok"
    assert server["health"]["worker"]["status"] == "ok"
    printed = Path(server["log"]).read_text()
    assert f"Sign in at {server['base']}/ as:" in printed
    assert "Created the demo organisation" in printed


def test_sign_in_with_the_printed_account(server: dict[str, Any]) -> None:
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = browser.open(server["base"] + "/accounts/login/").read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf is not None
    form = urllib.parse.urlencode(
        {"username": "jonas.weber", "password": PASSWORD, "csrfmiddlewaretoken": csrf.group(1)}
    ).encode()
    home = browser.open(server["base"] + "/accounts/login/", data=form).read().decode()
    # An agent lands in the desk, on their own queue.
    assert "My open tickets" in home
    assert "Jonas" in home


def test_each_role_uses_the_api_with_a_token(server: dict[str, Any]) -> None:
    contact = _token(server, "peter.lindqvist")
    agent = _token(server, "jonas.weber")
    vendor = _token(server, "ray.patel")
    support = next(
        t for t in _api(server, contact, "/teams")["items"] if t["name"] == "Customer Support"
    )
    created = _api(
        server,
        contact,
        "/tickets",
        {"subject": "Checkout fails", "body": "Card payments fail", "provider": support["party"]},
    )
    number = created["number"]
    assert created["agreement"] is not None

    mine = [t["number"] for t in _api(server, contact, "/tickets")["items"]]
    queue = [
        t["number"]
        for t in _api(server, agent, "/tickets?provider=" + str(support["party"]))["items"]
    ]
    assert number in mine and number in queue
    _api(server, agent, f"/tickets/{number}/messages", {"body": "Looking", "internal": True})
    _api(server, agent, f"/tickets/{number}/messages", {"body": "Fixed, please retry"})
    thread = [m["body_text"] for m in _api(server, contact, f"/tickets/{number}")["messages"]]
    assert thread == ["Card payments fail", "Fixed, please retry"]
    with pytest.raises(urllib.error.HTTPError) as hidden:
        _api(server, vendor, f"/tickets/{number}")
    assert hidden.value.code == 404


def test_mail_to_the_smtp_listener_becomes_a_ticket(server: dict[str, Any]) -> None:
    agent = _token(server, "jonas.weber")
    support = next(
        t for t in _api(server, agent, "/teams")["items"] if t["name"] == "Customer Support"
    )
    subprocess.run(
        [sys.executable, "-m", "rapport.cli", "mail", "mailbox", "help@demo.test",
         "--provider", str(support["party"])],
        env=server["env"], check=True, capture_output=True,
    )  # fmt: skip
    message = (
        "From: Peter Lindqvist <peter.lindqvist@nordlicht.example>\r\n"
        "To: help@demo.test\r\nSubject: Invoice PDF is blank\r\n"
        "Message-ID: <serve-test@nordlicht.example>\r\n\r\nThe PDF has no pages.\r\n"
    )
    email = next(
        p["email"] for p in _api(server, agent, "/people?limit=100")["items"]
        if p["username"] == "peter.lindqvist"
    )  # fmt: skip
    message = message.replace("peter.lindqvist@nordlicht.example", email)
    with smtplib.SMTP("127.0.0.1", server["smtp_port"], timeout=10) as client:
        assert client.sendmail(email, ["help@demo.test"], message.encode()) == {}
    deadline = time.monotonic() + 60
    found: list[dict[str, Any]] = []
    while not found and time.monotonic() < deadline:
        listed = _api(server, agent, "/tickets?q=blank")["items"]
        found = [t for t in listed if t["subject"] == "Invoice PDF is blank"]
        time.sleep(0.2)  # polling the API until the worker has processed the mail
    assert found, Path(server["log"]).read_text()[-3000:]
    detail = _api(server, agent, f"/tickets/{found[0]['number']}")
    assert detail["channel"] == "email"
    assert detail["messages"][0]["body_text"] == "The PDF has no pages."


def test_serve_stops_cleanly(server: dict[str, Any]) -> None:
    proc = server["proc"]
    proc.send_signal(signal.SIGTERM)  # the supervisor alone: it must stop its children
    assert proc.wait(timeout=30) == 0
    leftover = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True)
    assert leftover.stdout.strip() == ""
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(server["base"] + "/healthz", timeout=2)
