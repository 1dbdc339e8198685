"""One source of pins: pyproject.toml names the packages, constraints.txt pins them, binder/ is derived."""

import re

import pytest

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


def test_requirements_txt_at_the_top_is_the_notebooks_runtime_at_binders_pins():
    stored = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    assert stored == pins.runtime_requirements(), "run `python -m book.lock --derived` to rewrite requirements.txt"
    runtime, binder = pins.pins(ROOT / "requirements.txt"), pins.pins(ROOT / "binder" / "requirements.txt")
    assert runtime == {canonicalize_name(r.name): binder[canonicalize_name(r.name)] for r in pins.requirements()}


def lock_entries(path) -> dict[str, int]:
    """name -> how many hashes each pinned requirement of a uv/pip-tools lock file carries."""
    entries, name = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("--hash=sha256:"):
            entries[name] += 1
        elif "==" in stripped and not stripped.startswith("#"):
            name = canonicalize_name(stripped.split("==")[0])
            entries[name] = 0
    return entries


@pytest.mark.parametrize("lock", [name.removesuffix(".txt") for name in pins.LOCK_FILES])
def test_every_locked_requirement_is_pinned_with_hashes_at_the_projects_pins(lock):
    path = ROOT / "locks" / f"{lock}.txt"
    entries = lock_entries(path)
    assert entries and all(entries.values()), f"{path.name}: no hash for {[n for n, h in entries.items() if not h]}"
    locked, constraints, own = pins.pins(path), pins.pins(), {**pins.pins(pins.HUB), **pins.pins(pins.LITE)}
    differ = {name: version for name, version in locked.items()
              if version != constraints.get(name, own.get(name, version)) and name not in pins.HUB_VENV_UNPINNED}
    assert not differ, f"{path.name} disagrees with constraints.txt or hub/requirements.txt: run `make lock` {differ}"


def test_the_locks_hold_the_build_tools_and_everything_the_project_declares():
    assert set(pins.TOOLS) <= set(pins.pins(ROOT / "locks" / "tools.txt"))
    dev = pins.pins(ROOT / "locks" / "dev.txt")
    assert dev == {name: version for name, version in pins.pins().items() if name != "pip"}
    assert set(pins.pins(pins.HUB)) <= set(pins.pins(ROOT / "locks" / "hub.txt"))
    hub_venv = set(pins.pins(ROOT / "locks" / "hub-venv.txt"))
    assert set(pins.pins(pins.HUB)) | set(pins.pins(pins.BINDER)) <= hub_venv
    assert set(pins.pins(pins.LITE)) <= set(pins.pins(ROOT / "locks" / "lite.txt"))


def test_every_install_the_makefile_runs_is_hash_checked():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    locked = re.search(r"^PIP_LOCKED := (.*)$", makefile, re.M).group(1)
    assert "--require-hashes" in locked.split()
    installs = [line.strip() for line in makefile.splitlines() if "pip install" in line and not line.startswith("#")]
    assert installs
    for line in installs:
        hashed = "$(PIP_LOCKED) -r locks/" in line
        the_clone_itself = line.endswith("--no-deps --no-build-isolation -e .")  # no download, no build env
        assert hashed or the_clone_itself, f"an install the lock files do not check: {line}"


def test_pins_reads_a_hash_pinned_lock(tmp_path):
    path = tmp_path / "lock.txt"
    path.write_text("pandas==3.1.1 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n"
                    "uv==0.13.10 ; python_version >= '3.8' \\\n    --hash=sha256:cc\n", encoding="utf-8")
    assert pins.pins(path) == {"pandas": "3.1.1", "uv": "0.13.10"}
    assert lock_entries(path) == {"pandas": 2, "uv": 1}
