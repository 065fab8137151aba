"""A real SpamAssassin spamd for the spam tests: its own Bayes database in a temporary
folder, on a free loopback port, network tests off (`-L`), stopped afterwards.

`make test` installs Debian's spamassassin and spamd when they are missing
(scripts/ensure-mail-tools).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SPAMD = "/usr/sbin/spamd"
# SpamAssassin's test string: every spamd scores it as spam, with no rules updates.
GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"


@contextmanager
def spamd() -> Iterator[str]:
    """Start spamd; yields its "host:port" for RAPPORT_SPAMD."""
    if not os.path.exists(SPAMD):
        raise RuntimeError(
            f"{SPAMD} is missing: `make test` installs Debian's spamassassin and spamd "
            "(apt-get install spamassassin spamd)."
        )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    # Not under pytest's tmp_path: spamd's children (user nobody when run as root)
    # write the Bayes database here.
    root = Path(tempfile.mkdtemp(prefix="rapport-spamd-"))
    root.chmod(0o777)
    log = root / "spamd.log"
    command = [
        SPAMD, "-L", "-x", "--allow-tell", f"--cf=bayes_path {root}/bayes",
        "--cf=bayes_file_mode 0777",
        f"--listen=127.0.0.1:{port}", "--min-children=1", "--max-children=2",
        f"--pidfile={root}/spamd.pid", f"--syslog={log}",
    ]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--username=nobody")
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120  # loading the rules takes seconds on a busy box
        while True:
            if proc.poll() is not None:
                raise RuntimeError(
                    "spamd exited: " + (log.read_text()[-2000:] if log.exists() else "")
                )
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2) as probe:
                    probe.sendall(b"PING SPAMC/1.5\r\n\r\n")
                    if b"PONG" in probe.recv(100):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("spamd did not start listening within 120 s")
            time.sleep(0.2)  # waiting for spamd to load its rules
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(root, ignore_errors=True)
