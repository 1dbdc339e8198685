"""One source of pins: pyproject.toml names the packages, constraints.txt pins them, binder/ is derived."""

import re

from packaging.utils import canonicalize_name

from book import notebooks, pins

from ..conftest import ROOT


def test_every_declared_package_is_pinned_within_its_range():
    pinned = pins.pins()
    for requirement in pins.requirements(("book", "test", "grading")):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is declared in pyproject.toml but not pinned: run `make lock`"
        assert requirement.specifier.contains(pinned[name]), (
            f"constraints.txt pins {requirement.name}=={pinned[name]}, outside pyproject.toml's {requirement}")


def test_binder_requirements_are_written_from_the_same_pins():
    stored = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    assert stored == pins.binder_requirements(), "run `python -m book.lock` to rewrite binder/requirements.txt"


def test_binder_installs_what_the_notebooks_import_and_no_test_tools():
    binder = pins.pins(ROOT / "binder" / "requirements.txt")
    imported = set()
    for path in [*ROOT.glob("chapters/*.md"), *ROOT.glob("exercises/source/*.md")]:
        code = "\n".join(c.source for c in notebooks.read_markdown(path) if c.cell_type == "code")
        imported |= set(re.findall(r"^\s*(?:import|from) (\w+)", code, re.M))
    imported -= {"after_mosul"}  # installed by binder/postBuild
    assert imported and {canonicalize_name(n) for n in imported} <= set(binder)
    assert not {"frictionless", "pytest", "nbval", "playwright"} & set(binder)


def test_pins_reads_only_exact_pins(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("# comment\nPyYAML==6.0.4  # why\nsome-tool>=1\n\nJinja2==3.1.6\n", encoding="utf-8")
    assert pins.pins(path) == {"pyyaml": "6.0.4", "jinja2": "3.1.6"}
