"""Finds database writes in source code, for tests/test_writes_only_in_actions.py.

Heuristics (ast only, no type information), chosen so that ordinary Python calls of
the same names are not mistaken for writes:

- `.save()`, `.delete()` and `.update()` count only when called with no positional
  argument. A model's `save`/`delete` and a queryset's `update`/`delete` take keywords
  only, while `dict.update(other)`, `set.update(items)`, `cache.delete(key)` and
  `storage.save(name, content)` always pass one. (`d.update(key=value)` on a dict would
  be reported: write `d[key] = value` or `d |= {...}` instead.)
- `.create()` counts unless its receiver is a plain module-style name known not to be a
  model manager (none needed today); related managers (`ticket.tags.create`) count.
- `bulk_create`, `bulk_update`, `get_or_create` and `update_or_create` always count.
- `.execute()` / `.executemany()` count when the receiver's name mentions a cursor
  (`cursor.execute`, `cur.execute`, `connection.cursor().execute`), unless the
  statement visibly reads: its text (a literal, an f-string's or a concatenation's
  first part, or a module-level string constant) starts with SELECT, EXPLAIN or PRAGMA.
  SQL built by a function call is not read, so it counts.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "rapport"

ALWAYS = {"bulk_create", "bulk_update", "get_or_create", "update_or_create"}
NO_POSITIONAL = {"save", "delete", "update"}
CURSOR_CALLS = {"execute", "executemany"}


@dataclass(frozen=True)
class Write:
    path: str  # relative to src/rapport, with forward slashes
    line: int
    call: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.call}"


def exempt(path: str) -> bool:
    """Where writes belong, or code that is not the product's runtime."""
    parts = path.split("/")
    return (
        parts[-1] == "actions.py"
        or "actions" in parts[:-1]
        or "migrations" in parts[:-1]
        or "tests" in parts[:-1]
        or parts[-1].startswith("test_")
        or parts[-1] == "testing.py"  # test helpers (rapport/testing.py, mail/testing.py)
        or path.startswith("core/fast/")
    )


def _receiver_mentions_cursor(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return "cur" in node.id.lower()
    if isinstance(node, ast.Attribute):
        return "cursor" in node.attr.lower() or _receiver_mentions_cursor(node.value)
    if isinstance(node, ast.Call):
        return _receiver_mentions_cursor(node.func)
    return False


READS = ("SELECT", "EXPLAIN", "PRAGMA")


def _leading_text(node: ast.expr, constants: dict[str, str]) -> str | None:
    """The start of a SQL statement's text, where the source shows it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values:
        return _leading_text(node.values[0], constants)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _leading_text(node.left, constants)
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def _reads(call: ast.Call, constants: dict[str, str]) -> bool:
    text = _leading_text(call.args[0], constants) if call.args else None
    return text is not None and text.lstrip(" (\n").upper().startswith(READS)


def _module_constants(tree: ast.Module) -> dict[str, str]:
    constants = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = stmt.targets[0]
            text = _leading_text(stmt.value, {})
            if isinstance(target, ast.Name) and text is not None:
                constants[target.id] = text
    return constants


def writes_in(source: str, path: str) -> list[Write]:
    found = []
    tree = ast.parse(source)
    constants = _module_constants(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name = node.func.attr
        positional = [a for a in node.args if not isinstance(a, ast.Starred)] or node.args
        if (
            name in ALWAYS
            or name == "create"
            or (name in NO_POSITIONAL and not positional)
            or (
                name in CURSOR_CALLS
                and _receiver_mentions_cursor(node.func.value)
                and not _reads(node, constants)
            )
        ):
            found.append(Write(path, node.lineno, f".{name}("))
    return sorted(found, key=lambda w: w.line)


def scan(root: Path = SRC) -> list[Write]:
    found: list[Write] = []
    for file in sorted(root.rglob("*.py")):
        path = file.relative_to(root).as_posix()
        if not exempt(path):
            found += writes_in(file.read_text(), path)
    return found
