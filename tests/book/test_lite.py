"""The browser site (book/lite.py): what it ships is what the trusted sources say, and nothing else.

These read the files `make book` downloaded into _build/lite/downloads and the site it built into
_build/html/lite; the browser tests (tests/browser/test_lite.py) run its notebooks in Chromium.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import zipfile

import pytest

from book import lite

from ..conftest import ROOT

DOWNLOADS = lite.WORK / "downloads"
SITE = lite.OUTPUT


@pytest.fixture(scope="module")
def downloads():
    assert (DOWNLOADS / lite.CARRIER_NAME).is_file(), "build the book first (make book; make test does)"
    return DOWNLOADS


@pytest.fixture(scope="module")
def site():
    assert (SITE / "index.html").is_file(), "build the book first (make book; make test does)"
    return SITE


def altered_copy(carrier, target, member):
    """The carrier wheel with one byte of ``member`` changed."""
    with zipfile.ZipFile(carrier) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                data = data[:100] + bytes([data[100] ^ 1]) + data[101:]
            out.writestr(info, data)


def test_an_altered_pyodide_file_stops_the_build_with_a_sentence(downloads, tmp_path):
    lock = lite.official_lock()
    member = lite.CARRIER_PREFIX + lock["packages"]["pandas"]["file_name"]
    carrier = tmp_path / lite.CARRIER_NAME
    altered_copy(downloads / lite.CARRIER_NAME, carrier, member)
    output = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "book.lite", "--work", str(tmp_path / "work"), "--output",
                           str(output), "--downloads", str(downloads), "--carrier", str(carrier)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "pandas-2.2.3-cp312-cp312-pyodide_2024_0_wasm32.whl" in done.stderr
    assert "does not match the sha256 in the official pyodide-lock.json" in done.stderr
    assert not output.exists(), "a site was written from an altered Pyodide file"


def test_every_pyodide_package_the_site_ships_has_the_official_locks_sha256(site):
    official = lite.official_lock()["packages"]
    shipped = json.loads((site / "static" / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))
    from_pyodide = [name for name, entry in shipped["packages"].items()
                    if official.get(name, {}).get("file_name") == entry["file_name"]]
    assert {"pandas", "numpy", "ipython", "micropip"} <= set(from_pyodide)
    for name, entry in shipped["packages"].items():
        data = (site / "static" / "pyodide" / entry["file_name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file_name"]
        if name in from_pyodide:
            assert entry["sha256"] == official[name]["sha256"], entry["file_name"]
    for name in lite.CORE_FILES:
        assert (site / "static" / "pyodide" / name).read_bytes() == (lite.NPM_PYODIDE / name).read_bytes(), name


def test_the_site_ships_only_what_the_notebooks_need(site):
    files = {p.name for p in (site / "static" / "pyodide").iterdir()}
    for unneeded in ("scipy", "scikit_learn", "pyarrow", "matplotlib-", "openblas", "pillow"):
        assert not [f for f in files if f.startswith(unneeded)], unneeded
    shipped = json.loads((site / "static" / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert files == {*lite.CORE_FILES, "pyodide-lock.json", *(e["file_name"] for e in shipped["packages"].values())}


def test_the_site_asks_no_cdn_or_package_index(site):
    config = json.loads((site / "jupyter-lite.json").read_text(encoding="utf-8"))["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.js"
    assert kernel["disablePyPIFallback"] is True
    shipped = json.loads((site / "static" / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert not [e["file_name"] for e in shipped["packages"].values() if "://" in e["file_name"]]


def test_the_site_holds_every_chapter_and_student_exercise_notebook_without_outputs(site):
    chapters = sorted(p.name for p in (ROOT / "chapters").glob("*.ipynb"))
    exercises = sorted(p.name for p in (ROOT / "exercises" / "student").glob("*.ipynb"))
    assert len(chapters) == len(exercises) == 5
    assert sorted(p.name for p in (site / "files" / "chapters").glob("*.ipynb")) == chapters
    assert sorted(p.name for p in (site / "files" / "exercises" / "student").glob("*.ipynb")) == exercises
    for path in (site / "files").rglob("*.ipynb"):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        assert not [c for c in cells if c["cell_type"] == "code" and c["outputs"]], path.name


def test_the_kit_is_in_the_browser_with_what_it_imports(site):
    shipped = json.loads((site / "static" / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))
    packages = shipped["packages"]
    kit = packages["after-mosul"]
    assert kit["imports"] == ["after_mosul"]
    assert (site / "static" / "pyodide" / kit["file_name"]).read_bytes() == lite.kit_wheel().read_bytes()
    assert {"pandas", "folium", "branca", "ipywidgets", "pyyaml"} <= set(kit["depends"])
    for entry in packages.values():
        assert {lite.canonicalize_name(d) for d in entry["depends"]} <= set(packages), entry["name"]


@pytest.mark.parametrize("name", sorted(lite.SDIST_PACKAGES))
def test_a_pure_wheel_made_from_an_sdist_has_no_compiled_code_and_imports(downloads, tmp_path, name):
    (sdist,) = [p for p in downloads.glob("*.tar.gz") if lite.canonicalize_name(p.name.split("-")[0]) == name]
    file_name, data = lite.pure_wheel_from_sdist(sdist, lite.SDIST_PACKAGES[name])
    assert file_name.endswith("-py3-none-any.whl")
    assert lite.pure_wheel_from_sdist(sdist, lite.SDIST_PACKAGES[name])[1] == data, "not reproducible"
    wheel = tmp_path / file_name
    wheel.write_bytes(data)
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        zf.extractall(tmp_path / "site")
    assert not [n for n in names if n.endswith((".c", ".so", ".pyx", ".h"))]
    code = {"markupsafe": "import markupsafe; assert str(markupsafe.escape('<b>')) == '&lt;b&gt;'; "
                          "assert markupsafe._escape_inner.__module__ == 'markupsafe._native'",
            "pyyaml": "import yaml; assert yaml.safe_load('a: [1, 2]') == {'a': [1, 2]}; "
                      "assert not yaml.__with_libyaml__"}[name]
    done = subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(tmp_path / 'site')!r}); "
                           + code], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_every_notebook_link_inside_the_sites_notebooks_opens_a_notebook_of_the_site(site):
    """A chapter's "Practice notebook" link (../exercises/student/NN.ipynb) and its links to other chapters."""
    links = 0
    for path in (site / "files").rglob("*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            for target in re.findall(r'\]\(([^)\s:]+\.ipynb)\)|href="([^":]+\.ipynb)"', "".join(cell["source"])):
                target = target[0] or target[1]
                links += 1
                assert (path.parent / target).resolve().is_file(), f"{path.relative_to(site)}: {target}"
    assert links >= 10


def test_no_link_inside_the_sites_notebooks_leads_to_a_book_page_the_site_does_not_have(site):
    """The chapters link the set-up, data and claims pages (../pages/NAME.md): in the site they are named."""
    named = 0
    for path in (site / "files").rglob("*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] == "markdown":
                dead = re.findall(r"\]\((?![a-z]+:)[^)\s]+\.md\b", source)
                assert not dead, f"{path.relative_to(site)}: {source[:300]}"
                named += source.count("(a page of the book)")
    assert named >= 5
