"""The kit's code (after_mosul/, the only code in the wheel) imports exactly what it declares, and no build or
test tool. tests/integration/test_kit.py checks the built wheel itself the same way, and imports each module in a
fresh venv holding the kit alone."""

from ..conftest import ROOT
from .kit_imports import KERNEL_ONLY, build_and_test_tools, declared, import_names, imported


def kit_imports() -> dict[str, set[str]]:
    return {path.relative_to(ROOT).as_posix(): imported(path.read_text(encoding="utf-8"))
            for path in sorted((ROOT / "after_mosul").rglob("*.py"))}


def test_the_kit_declares_exactly_what_it_imports():
    used = set().union(*kit_imports().values())
    assert used == import_names(declared() - KERNEL_ONLY), (
        "pyproject.toml's [project.dependencies] should name what after_mosul imports, no more, no less "
        f"(then `make lock`): imports {sorted(used)}, declares {sorted(declared())}")


def test_no_kit_module_imports_a_build_or_test_tool():
    tools = build_and_test_tools()
    assert {"sphinx", "jupytext", "tinycss2", "fontTools", "frictionless", "pytest", "book", "hub"} <= tools
    found = {path: sorted(names & tools) for path, names in kit_imports().items() if names & tools}
    assert not found, f"move this code to book/ or tests/: the kit wheel must not need these {found}"


def test_imported_sees_lazy_and_dotted_imports():
    source = "import os\nimport numpy.linalg\nfrom . import data\ndef f():\n    from sphinx.util import x\n"
    assert imported(source) == {"numpy", "sphinx"}
