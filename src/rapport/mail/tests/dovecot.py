"""A real Dovecot IMAP server for the poller's tests: its own configuration, mail and
sockets in a temporary folder, on a free loopback port, stopped afterwards.

`make test` installs Debian's dovecot-imapd when it is missing.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DOVECOT = "/usr/sbin/dovecot"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%n
first_valid_uid = 1
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%n
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass
class Dovecot:
    port: int
    user: str
    password: str
    log: Path


@contextmanager
def dovecot(user: str, password: str) -> Iterator[Dovecot]:
    if not os.path.exists(DOVECOT):
        raise RuntimeError(
            f"{DOVECOT} is missing: `make test` installs Debian's dovecot-imapd "
            "(apt-get install dovecot-imapd)."
        )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    # Not under pytest's tmp_path: Dovecot's own users must be able to enter it.
    root = Path(tempfile.mkdtemp(prefix="rapport-dovecot-"))
    root.chmod(0o755)
    if os.geteuid() == 0:
        # Dovecot refuses to run its login and mail processes as root: use its users.
        login_user, internal_user = "dovenull", "dovecot"
        mail_uid, mail_gid = pwd.getpwnam("dovecot").pw_uid, grp.getgrnam("dovecot").gr_gid
    else:
        me = pwd.getpwuid(os.geteuid())
        login_user = internal_user = me.pw_name
        mail_uid, mail_gid = me.pw_uid, me.pw_gid
    internal_group = grp.getgrgid(mail_gid).gr_name
    for folder in ("run", "state", "mail", "home"):
        (root / folder).mkdir()
    for folder in ("mail", "home"):
        os.chown(root / folder, mail_uid, mail_gid)
    (root / "passwd").write_text(f"{user}:{{PLAIN}}{password}\n")
    config = root / "dovecot.conf"
    config.write_text(
        CONFIG.format(
            root=root, port=port, login_user=login_user, internal_user=internal_user,
            internal_group=internal_group, uid=mail_uid, gid=mail_gid,
        )
    )  # fmt: skip
    proc = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    log = root / "dovecot.log"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, log.read_text() if log.exists() else "dovecot exited"
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                    if probe.recv(100).startswith(b"* OK"):
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "dovecot did not start listening"
            time.sleep(0.05)  # waiting for the server to accept connections
        yield Dovecot(port=port, user=user, password=password, log=log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)
