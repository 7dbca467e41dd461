"""Style rules the brief sets that a linter does not check: no private name imported across modules."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "ftdraft"


def private_imports(path: Path, root: Path = ROOT) -> list[str]:
    """`from <module> import _name` lines in one file (a name with one leading underscore; dunders are fine)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(root)}:{node.lineno}: from {'.' * node.level}{node.module or ''} import {alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]


def test_no_private_name_is_imported_across_the_package() -> None:
    found = [line for path in sorted(PACKAGE.rglob("*.py")) for line in private_imports(path)]
    assert found == [], "make these names public where they are defined:\n" + "\n".join(found)


def test_the_check_sees_a_private_import(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("from .text import _sentence, public\nfrom os import __file__\n", encoding="utf-8")
    assert private_imports(sample, tmp_path) == ["m.py:1: from .text import _sentence"]
