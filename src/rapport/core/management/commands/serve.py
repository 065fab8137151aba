"""`rapport serve`: migrate, then run the web server, the worker and the SMTP listener
as supervised children.

One box, one command. At scale the same pieces run separately (`gunicorn
rapport.wsgi`, `rapport worker`) behind a proxy, chosen by environment only.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

RESTART_DELAY = 2.0
MAX_RESTARTS_PER_MINUTE = 5


class Command(BaseCommand):
    help = "Migrate, then serve the web app with a background worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        # One process per core (the GIL runs one thread of a process at a time), each
        # with a few threads that overlap database waits and keep connections alive:
        # measured against sync workers with `make bench-http` (docs/deploy.md).
        parser.add_argument(
            "--web-workers",
            type=int,
            default=int(os.environ.get("RAPPORT_WEB_WORKERS", "0")) or os.cpu_count() or 2,
        )
        parser.add_argument(
            "--web-threads",
            type=int,
            default=int(os.environ.get("RAPPORT_WEB_THREADS", "4")),
            help="Threads per web process (more than 1: gunicorn's gthread workers)",
        )
        parser.add_argument(
            "--demo-if-empty", action="store_true", help="Create the demo organisation if none"
        )
        parser.add_argument("--no-worker", action="store_true", help="Serve the web app only")
        parser.add_argument(
            "--smtp-port",
            type=int,
            default=settings.RAPPORT_SMTP_PORT,
            help="Port of the inbound SMTP listener (0: none)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        host, port = options["host"], options["port"]
        if options["demo_if_empty"]:
            # By name: the demo is an app above core, and core imports no app.
            call_command(
                "demo", "--from-serve", base_url=f"http://{host}:{port}/", stdout=self.stdout
            )
        children = {
            "web": [
                sys.executable, "-m", "gunicorn", "rapport.wsgi:application",
                "--bind", f"{host}:{port}", "--workers", str(options["web_workers"]),
                "--threads", str(options["web_threads"]),
                "--access-logfile", "-", "--graceful-timeout", "10",
            ],
        }  # fmt: skip
        if not options["no_worker"]:
            children["worker"] = [sys.executable, "-m", "rapport.cli", "worker"]
        if options["smtp_port"]:
            children["smtp"] = [
                sys.executable, "-m", "rapport.cli", "mail", "listen",
                "--host", settings.RAPPORT_SMTP_HOST, "--port", str(options["smtp_port"]),
            ]  # fmt: skip
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(
            f"Rapport on http://{host}:{port}/ (database: {database}; "
            f"{'worker running' if 'worker' in children else 'no worker'}"
            + (
                f"; mail in on smtp://{settings.RAPPORT_SMTP_HOST}:{options['smtp_port']}"
                if "smtp" in children
                else ""
            )
            + "). Ctrl-C stops."
        )
        Supervisor(children, self.stdout.write).run()


class Supervisor:
    """Start each child, restart it if it dies (with a brake), stop all on a signal."""

    def __init__(self, commands: dict[str, list[str]], log: Any) -> None:
        self.commands = commands
        self.log = log
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.restarts: dict[str, list[float]] = {name: [] for name in commands}
        self.stopping = False

    def run(self) -> None:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        for name in self.commands:
            self._start(name)
        self._queue_ping()
        try:
            while not self.stopping:
                for name, proc in list(self.procs.items()):
                    if proc.poll() is not None and not self.stopping:
                        self._restart(name, proc.returncode)
                time.sleep(0.5)  # how often a dead child is noticed; cheap, and fast enough
        finally:
            self._terminate()

    def _start(self, name: str) -> None:
        self.procs[name] = subprocess.Popen(self.commands[name])

    def _restart(self, name: str, code: int) -> None:
        now = time.monotonic()
        recent = [t for t in self.restarts[name] if now - t < 60] + [now]
        self.restarts[name] = recent
        if len(recent) > MAX_RESTARTS_PER_MINUTE:
            self.log(f"{name} keeps dying (exit {code}); stopping everything.")
            self.stopping = True
            return
        self.log(f"{name} exited with {code}; restarting in {RESTART_DELAY:.0f}s.")
        time.sleep(RESTART_DELAY)  # a brake, so a crashing child does not spin the CPU
        self._start(name)

    def _queue_ping(self) -> None:
        # Lets /healthz show the worker as up as soon as it takes its first job.
        if "worker" in self.commands:
            from rapport.core.tasks import ping

            ping()

    def _stop(self, signum: int, frame: object) -> None:
        self.stopping = True

    def _terminate(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 15
        for proc in self.procs.values():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
