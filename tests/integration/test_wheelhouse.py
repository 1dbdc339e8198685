"""A classroom without internet (issue 23, fault 7): the kit installs from a wheelhouse with no index.

``python -m book.wheelhouse --here`` gathers this machine's wheels, as ``make wheelhouse``
does for every platform the set-up page names; a fresh venv then installs the kit from that
folder alone (``pip --no-index``, as pages/setup.md says), and a downloaded exercise notebook
runs in an empty folder with that venv's kernel.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from book import wheelhouse

from ..conftest import ROOT
from .test_kit import downloads, run_alone, venv_python


def test_make_wheelhouse_covers_linux_macos_windows_and_the_setup_pages_pythons():
    setup = (ROOT / "pages" / "setup.md").read_text(encoding="utf-8")
    assert "Python 3.11 or newer" in setup and wheelhouse.PYTHONS[0] == "3.11"
    tags = [tag for tags in wheelhouse.PLATFORMS.values() for tag in tags]
    for family in ("manylinux", "macosx", "win"):
        assert any(tag.startswith(family) for tag in tags), family
    assert any(t.endswith("arm64") for t in tags) and any(t.endswith("x86_64") for t in tags)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "wheelhouse:" in makefile and "book.wheelhouse" in makefile
    command = "--no-index --find-links"
    assert command in setup and "In a room without internet" in setup


@pytest.fixture(scope="module")
def offline_install(tmp_path_factory):
    folder = tmp_path_factory.mktemp("classroom")
    house = folder / "wheelhouse"
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    gathered = subprocess.run([sys.executable, "-m", "book.wheelhouse", "--here", "--out", str(house)], cwd=ROOT,
                              capture_output=True, text=True, timeout=1800, env=env)
    assert gathered.returncode == 0, gathered.stdout[-2000:] + gathered.stderr[-3000:]
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True, timeout=300)
    # the command the set-up page gives, with no index: nothing but the folder
    env["PIP_CONFIG_FILE"] = os.devnull  # no find-links or index from this machine's pip configuration
    install = subprocess.run(
        [str(venv_python(folder)), "-m", "pip", "install", "--no-index", "--find-links", str(house),
         "after_mosul", *wheelhouse.JUPYTER],
        cwd=folder, capture_output=True, text=True, timeout=1800, env=env)
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-3000:]
    return folder


def test_the_kit_and_jupyter_install_from_the_wheelhouse_alone_and_a_notebook_runs(offline_install):
    python = venv_python(offline_install)
    for module in ("after_mosul", "jupyterlab", "notebook"):
        found = subprocess.run([str(python), "-c", f"import {module}"], capture_output=True, text=True, timeout=120)
        assert found.returncode == 0, f"{module}: {found.stderr[-500:]}"
    notebook = downloads()["exercise 02_mosul"]
    executed = run_alone(notebook, offline_install / "run", python)
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    errors = [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
    assert not errors, errors[:1]
    assert any("Not answered yet" in str(o.get("data", {})) for o in outputs)
