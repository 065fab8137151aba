"""`make bench`: seed a fresh database with N tickets, then time the API on it.

    RAPPORT_DATA_DIR=var/bench python bench/run.py --tickets 100000          # SQLite
    DATABASE_URL=postgres://…/rapport_bench python bench/run.py --tickets …  # PostgreSQL

The database named by the settings is deleted and recreated first, so it must
be a bench database: its name (PostgreSQL) or folder (SQLite) says "bench".
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    # Run as a script, only bench/ itself is on the path; `bench.*` needs the root.
    sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000, help="data set size")
    parser.add_argument("--seed", type=int, default=1234, help="random seed of the data set")
    parser.add_argument("--batch", type=int, default=5_000, help="tickets per insert batch")
    parser.add_argument(
        "--workers",
        type=int,
        # One per core: the writer waits on the database part of the time, and a
        # worker's share of the work (generating, encoding) is the larger one.
        default=os.cpu_count() or 2,
        help="processes preparing rows while one writes them (0: prepare in the writer)",
    )
    parser.add_argument("--requests", type=int, default=200, help="timed requests per read")
    parser.add_argument("--creates", type=int, default=1_000, help="tickets to create via API")
    parser.add_argument(
        "--only",
        choices=("all", "desk"),
        default="all",
        help="desk: only the desk's pages (how `make bench` measures them at a million tickets)",
    )
    parser.add_argument(
        "--force", action="store_true", help="recreate the database even if not named *bench*"
    )
    args = parser.parse_args(argv)
    if args.tickets < 1:
        parser.error("--tickets must be at least 1")
    return args


def fresh_database(db: Mapping[str, Any], *, force: bool) -> None:
    """Delete the configured database and create it empty (refusing a non-bench one)."""
    if db["ENGINE"] in ("django.db.backends.sqlite3", "rapport.core.sqlite"):
        path = Path(db["NAME"])
        if "bench" not in path.parent.name and not force:
            sys.exit(f"Refusing to delete {path}: set RAPPORT_DATA_DIR=var/bench (or --force).")
        for suffix in ("", "-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    name = db["NAME"]
    if "bench" not in name and not force:
        sys.exit(f"Refusing to drop database {name!r}: use one named *bench* (or --force).")
    conninfo = make_conninfo(
        dbname="postgres", host=db["HOST"], port=db["PORT"], user=db["USER"],
        password=db["PASSWORD"],
    )  # fmt: skip
    with psycopg.connect(conninfo, autocommit=True) as maintenance:
        maintenance.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def start(*, force: bool) -> None:
    """What every benchmark does first: a fresh bench database (see `fresh_database`),
    Django set up on it and migrated, cheap password hashing (no password is checked,
    and Argon2 at its real cost would swamp the peak memory measured), and the test
    client's host allowed."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "rapport.settings"
    import django
    from django.conf import settings

    fresh_database(settings.DATABASES["default"], force=force)
    django.setup()
    from django.core.management import call_command
    from django.test import override_settings

    override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ).enable()
    call_command("migrate", verbosity=0, interactive=False)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "rapport.settings"
    import django
    from django.conf import settings

    fresh_database(settings.DATABASES["default"], force=args.force)
    django.setup()
    from bench import suite

    suite.run(args)
    return 0  # a benchmark, not a test: missed targets are reported, not failed


if __name__ == "__main__":
    sys.exit(main())
