"""What the course kit's modules import, and which installed distributions are the build and test tools.

Shared by tests/unit/test_kit_code.py (the sources in after_mosul/) and tests/integration/test_kit.py (the wheel).
"""

from __future__ import annotations

import ast
import sys
from importlib.metadata import packages_distributions

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from book import pins

KERNEL_ONLY = {"ipykernel"}  # declared so that a notebook runs (its kernel), never imported by the package


def imported(source: str) -> set[str]:
    """Top-level names of every module ``source`` imports, at any depth (lazy imports in functions too)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"after_mosul", "__future__"}


def import_names(distributions: set[str]) -> set[str]:
    """The top-level modules the installed ``distributions`` provide (pyyaml -> yaml, fonttools -> fontTools)."""
    wanted = {canonicalize_name(d) for d in distributions}
    return {module for module, dists in packages_distributions().items()
            if any(canonicalize_name(d) in wanted for d in dists) and not module.startswith("_")}


def declared() -> set[str]:
    """[project.dependencies], as distribution names."""
    return {canonicalize_name(r.name) for r in pins.requirements()}


def build_and_test_tools() -> set[str]:
    """Modules of the book, test and grading extras that the kit does not declare, and the project's own
    build, test and hub code."""
    extras = {canonicalize_name(Requirement(line).name) for extra in ("book", "test", "grading")
              for line in pins.project()["optional-dependencies"][extra]}
    return (import_names(extras) - import_names(declared())) | {"book", "tests", "hub", "scripts"}
