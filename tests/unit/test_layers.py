"""Imports point down: the foundation packages (settings, domain-free helpers, the database
layer, Dintero's document types) import no domain package, so any domain can use them and
none of them drags a domain (or its web routes) along."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import shopping

SOURCE = Path(shopping.__file__).resolve().parent
FOUNDATIONS = ("config", "kit", "db", "documents")
#: what the foundations may import from the project besides each other: the error hierarchy
SHARED = ("errors",)


def _modules(name: str) -> Iterator[Path]:
    package = SOURCE / name
    yield from sorted(package.rglob("*.py")) if package.is_dir() else [SOURCE / f"{name}.py"]


def _imported(path: Path) -> Iterator[tuple[int, str]]:
    """Every absolute module name `path` imports, anywhere in it (type-checking blocks and
    function bodies too)."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def _violations(paths: list[Path]) -> list[str]:
    allowed = {f"shopping.{part}" for part in (*FOUNDATIONS, *SHARED)}
    found = []
    for path in paths:
        for line, module in _imported(path):
            parts = module.split(".")
            if parts[0] == "shopping" and ".".join(parts[:2]) not in allowed:
                found.append(f"{path.name}:{line} imports {module}")
    return found


def test_foundations_import_no_domain_package() -> None:
    assert _violations([path for name in FOUNDATIONS for path in _modules(name)]) == []


def test_the_check_sees_a_domain_import(tmp_path: Path) -> None:
    module = tmp_path / "example.py"
    module.write_text(
        "from shopping.kit.clock import Clock\n"
        "if TYPE_CHECKING:\n    from shopping.orders.service import Orders\n"
        "def f():\n    import shopping.webhooks.targets\n"
    )
    assert _violations([module]) == [
        "example.py:3 imports shopping.orders.service",
        "example.py:5 imports shopping.webhooks.targets",
    ]
