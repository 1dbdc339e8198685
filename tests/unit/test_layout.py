"""The test tiers stay what their folders say (README.md, *Tests*), and the suite runs on what pytest-xdist supports.

- every test file is in a tier's folder; tests/unit/ and tests/hostile/ (`make check`) never ask for the built
  book, the kit, the hub or a browser;
- `make test` hands out whole files (``--dist loadfile``): the session's page visits are read by one file only,
  or two workers would each open every page;
- without xdist (``-p no:xdist``, how one runs pdb) the suite still collects.
"""

import ast
import subprocess
import sys

import pytest

from ..conftest import ROOT

TIERS = ("unit", "hostile", "book", "integration", "browser")
FAST = ("unit", "hostile")
# What a fast-tier test must not reach: the built book or kit (fixtures and helpers), the hub, a browser.
IMPORTS = {"playwright", "hub", "jupyterhub"}
FIXTURES = {"book_html", "book", "server", "browser", "visits"}
HELPERS = {"built_book", "missing_book", "kit_wheel"}


def all_test_files() -> list:
    return sorted((ROOT / "tests").rglob("test_*.py"))


def test_every_test_file_is_in_a_tier():
    outside = [str(p.relative_to(ROOT)) for p in all_test_files()
               if p.relative_to(ROOT / "tests").parts[0] not in TIERS]
    assert not outside, f"move {outside} into one of tests/{{{','.join(TIERS)}}}/ (README.md, *Tests*)"


def reaches(path) -> set[str]:
    """What a test file imports (IMPORTS), asks for as a fixture (FIXTURES) or calls (HELPERS) of those."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            used |= {alias.name.split(".")[0] for alias in node.names} & IMPORTS
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            used |= {node.module.split(".")[0]} & IMPORTS
            used |= {alias.name for alias in node.names} & HELPERS
        elif isinstance(node, ast.FunctionDef):
            used |= {a.arg for a in node.args.args} & FIXTURES
        elif isinstance(node, ast.Name | ast.Attribute):
            used |= {getattr(node, "id", None) or getattr(node, "attr", None)} & HELPERS
    return used


@pytest.mark.parametrize("tier", FAST)
def test_the_fast_tiers_need_no_built_book_kit_hub_or_browser(tier):
    found = {str(p.relative_to(ROOT)): sorted(reaches(p)) for p in sorted((ROOT / "tests" / tier).rglob("*.py"))}
    found = {file: words for file, words in found.items() if words}
    assert not found, f"these belong in tests/book/, tests/integration/ or tests/browser/: {found}"


def test_reaches_sees_imports_fixtures_and_helpers(tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text("from playwright.sync_api import expect\nimport pandas\nfrom book.paths import built_book\n"
                     "def test_a(book_html, tmp_path):\n    assert 'browser' != built_book() and pandas.DataFrame\n")
    assert reaches(probe) == {"playwright", "book_html", "built_book"}


def asks_for(path, fixture: str) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
            and node.name.startswith("test") and fixture in {a.arg for a in node.args.args}]


def test_the_page_visits_are_read_by_one_file():
    readers = {str(p.relative_to(ROOT)) for p in all_test_files() if asks_for(p, "visits")}
    assert readers == {"tests/browser/test_page_visits.py"}, (
        "tests asking for the `visits` fixture belong in tests/browser/test_page_visits.py "
        f"(--dist loadfile keeps one file on one worker): {sorted(readers)}")


def test_asks_for_sees_a_fixture_argument(tmp_path):
    probe = tmp_path / "test_probe.py"
    probe.write_text("def test_a(page_path, visits):\n    pass\n\ndef test_b(page_path):\n    pass\n")
    assert asks_for(probe, "visits") == ["test_a"]


def test_the_suite_collects_without_xdist():
    """No hook of xdist's in conftest.py (pdb needs ``-p no:xdist``); the hub's tests need `make hub-setup`,
    so this collects the other tiers (tests/book/test_notebooks.py collects everything)."""
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist",
                             "--collect-only", "-q", "tests", "--ignore=tests/integration"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, (result.stdout + result.stderr)[-2000:]
    assert "tests/unit/test_layout.py::test_the_suite_collects_without_xdist" in result.stdout
    assert "tests/browser/test_page_visits.py::" in result.stdout
