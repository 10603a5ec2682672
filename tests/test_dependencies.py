"""The package declares what it imports: a fresh install has every module the code needs."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Optional backends, imported only when chosen and declared as extras.
OPTIONAL = {"xapian"}


def _imported_modules(package: str) -> set[str]:
    found = set()
    for path in (REPO / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def _declared() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = [re.split(r"[<>=!~\[ ;]", spec, maxsplit=1)[0] for spec in project["dependencies"]]
    return {name.lower().replace("_", "-") for name in names}


def test_every_third_party_import_of_the_package_is_a_declared_dependency() -> None:
    # given the modules bot/ and retrieval/ import that are neither stdlib nor the project's own
    third_party = {
        module
        for module in _imported_modules("bot") | _imported_modules("retrieval")
        if module not in sys.stdlib_module_names and module not in {"bot", "retrieval"}
    } - OPTIONAL
    # when each is traced to the distribution that installs it
    distributions = packages_distributions()
    undeclared = {
        module
        for module in third_party
        if not {d.lower().replace("_", "-") for d in distributions.get(module, [])} & _declared()
    }
    # then every one is in pyproject.toml's dependencies
    assert not undeclared, f"imported but not declared in pyproject.toml: {sorted(undeclared)}"
