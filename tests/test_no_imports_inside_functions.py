"""No app imports another app inside a function.

import-linter (`make lint`) sees imports wherever they are written, so an upward import
hidden in a function still breaks the layers contract. This test closes the other half:
an import of another app belongs at the top of the module, where a reader (and an import
cycle) sees it at once; written inside a function it usually hides a cycle that the
layers should have made impossible.

Not counted: imports within one app (a task module and the actions that schedule it
import each other, the usual Huey pattern), tests and migrations, and `ready()` in
`apps.py`, Django's place to wire one app into a registry of a lower one, since models
may not be imported before the app registry is ready.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "rapport"

# "module path -> imported module": why it may be imported inside a function.
ALLOWED: dict[str, str] = {}


def _app_of(path: str) -> str:
    return path.split("/")[0].removesuffix(".py")


def function_level_imports(source: str, path: str) -> list[str]:
    """`path -> module` for each import of another rapport app inside a function."""
    found = []
    own = _app_of(path)
    for fn in ast.walk(ast.parse(source)):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if fn.name == "ready" and path.endswith("apps.py"):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                parts = module.split(".")
                if parts[0] == "rapport" and len(parts) > 1 and parts[1] != own:
                    found.append(f"{path} -> {module}")
    return found


def scan(root: Path = SRC) -> list[str]:
    found = []
    for file in sorted(root.rglob("*.py")):
        path = file.relative_to(root).as_posix()
        if "/tests/" in f"/{path}" or "/migrations/" in f"/{path}":
            continue
        found += function_level_imports(file.read_text(), path)
    return found


def test_no_app_imports_another_inside_a_function() -> None:
    hidden = [line for line in scan() if line not in ALLOWED]
    assert not hidden, (
        "Imports of another app inside a function (move them to the top of the module; "
        "if that makes a cycle, the lower app must not call the higher one):\n" + "\n".join(hidden)
    )


def test_every_allowed_import_is_still_there() -> None:
    stale = sorted(set(ALLOWED) - set(scan()))
    assert not stale, f"Gone from the code, remove from ALLOWED: {stale}"


def test_checker_finds_hidden_imports_and_spares_the_rest() -> None:
    source = """
from rapport.tickets.models import Ticket

def f():
    from rapport.mail.outbound import queue_mail
    import rapport.sla.clocks
    from rapport.surveys import tasks

class MailConfig:
    def ready(self):
        from rapport.notifications import delivery
"""
    # Only apps.py's ready() may wire registries; the same method elsewhere counts.
    assert function_level_imports(source, "surveys/actions.py") == [
        "surveys/actions.py -> rapport.mail.outbound",
        "surveys/actions.py -> rapport.sla.clocks",
        "surveys/actions.py -> rapport.notifications",
    ]
    assert function_level_imports(source, "mail/apps.py") == [
        "mail/apps.py -> rapport.sla.clocks",
        "mail/apps.py -> rapport.surveys",
    ]
