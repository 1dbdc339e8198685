"""The course kit, from a student's seat: a fresh venv in an empty folder, the documented command, downloads alone.

One venv per test session (creating it and installing the kit's dependencies is
the slow part: see the closing note of issue 10 for the time). The notebooks are
the files the built book serves for download, each copied alone into its own
empty folder and run by a kernel of that venv.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from ..conftest import ROOT
from ..unit.kit_imports import build_and_test_tools, imported

KIT_DIR = ROOT / "_extra" / "kit"
BOOK = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
CHAPTERS = sorted(p.stem for p in (ROOT / "chapters").glob("*.ipynb"))
EXERCISES = sorted(p.stem for p in (ROOT / "exercises" / "student").glob("*.ipynb"))
MISSING_KIT = re.compile(r"^This notebook needs the course kit: .*restart the kernel\.\n$")


def kit_wheel() -> Path:
    wheels = sorted(KIT_DIR.glob("after_mosul-*-py3-none-any.whl"))
    if len(wheels) != 1:
        pytest.fail(f"Expected one course kit in {KIT_DIR}, found {len(wheels)}: run `make kit`.", pytrace=False)
    return wheels[0]


def downloads() -> dict[str, Path]:
    """What a student downloads from the built book: each chapter's and exercise's notebook."""
    found = {f"chapter {c}": BOOK / "_sources" / "chapters" / f"{c}.ipynb" for c in CHAPTERS}
    found |= {f"exercise {e}": BOOK / "downloads" / f"{e}_exercises.ipynb" for e in EXERCISES}
    missing = [str(p) for p in found.values() if not p.is_file()]
    if missing:
        pytest.fail(f"The built book lacks {missing[:3]}: run `make book`.", pytrace=False)
    return found


def test_the_kit_carries_the_current_data_article_and_quizzes():
    with zipfile.ZipFile(kit_wheel()) as wheel:
        names = set(wheel.namelist())
        for folder, pattern in (("data", "*"), ("seeds", "*.txt"), ("chapters/quizzes", "*.yml")):
            for path in sorted((ROOT / folder).glob(pattern)):
                if path.is_file():
                    inside = f"after_mosul/kit/{folder}/{path.name}"
                    assert inside in names, f"the kit lacks {inside}: run `make kit`"
                    assert wheel.read(inside) == path.read_bytes(), f"{inside} is stale: run `make kit`"
        assert "after_mosul/assets/leaflet/leaflet.js" in names


def test_setup_page_and_notebooks_name_the_kit_the_book_serves():
    name = kit_wheel().name
    setup = (ROOT / "pages" / "setup.md").read_text(encoding="utf-8")
    assert f"pip install {name}" in setup, f"pages/setup.md must give the command `python -m pip install {name}`"
    for path in downloads().values():
        first = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        assert name in first.source and "except ImportError" in first.source, path


def test_solution_downloads_have_their_own_names():
    for exercise in EXERCISES:
        student = BOOK / "downloads" / f"{exercise}_exercises.ipynb"
        solution = BOOK / "downloads" / f"{exercise}_solutions.ipynb"
        assert student.is_file() and solution.is_file(), f"run `make book` ({exercise})"
        assert solution.read_bytes() == (ROOT / "exercises" / "solutions" / f"{exercise}.ipynb").read_bytes()


DOWNLOAD_LINK = re.compile(r'<a\b[^>]*\bhref="([^"#?]+\.ipynb)"[^>]*>')


def chapter_page(chapter: str) -> str:
    page = BOOK / "chapters" / f"{chapter}.html"
    if not page.is_file():
        pytest.fail(f"The built book lacks {page}: run `make book`.", pytrace=False)
    return page.read_text(encoding="utf-8")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_chapter_pages_downloads_each_have_their_own_file_name(chapter):
    """The practice notebook downloaded as NN_name.ipynb, the chapter notebook's name (issue 23, fault 6)."""
    names = {}
    for tag in DOWNLOAD_LINK.finditer(chapter_page(chapter)):
        download = re.search(r'\bdownload="([^"]*)"', tag.group(0))
        name = download.group(1) if download and download.group(1) else tag.group(1).rsplit("/", 1)[-1]
        names.setdefault(name, set()).add(tag.group(1).rsplit("/", 2)[-2] + "/" + tag.group(1).rsplit("/", 1)[-1])
    clashes = {name: sorted(files) for name, files in names.items() if len(files) > 1}
    assert not clashes, f"{chapter}: different notebooks download under one name: {clashes}"
    assert f"{chapter}_exercises.ipynb" in names and f"{chapter}.ipynb" in names, sorted(names)
    assert names[f"{chapter}_exercises.ipynb"] == {f"student/{chapter}.ipynb"}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_kit_box_says_python_m_pip_as_the_setup_page_does(chapter):
    """A bare `pip install` can install into another Python than Jupyter's (issue 23, fault 8)."""
    name = kit_wheel().name
    page = chapter_page(chapter)
    box = page[page.index("Run this chapter yourself"):]
    box = box[:box.index("</div>")]
    assert f"<code>python -m pip install {name}</code>" in box and f"<code>py -m pip install {name}</code>" in box
    assert not re.search(r"<code>pip install", box), box


@pytest.fixture(scope="session")
def student_folder(tmp_path_factory):
    """An empty folder with a fresh venv that has nothing installed yet."""
    folder = tmp_path_factory.mktemp("student")
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True, timeout=300)
    return folder


def venv_python(folder: Path) -> Path:
    return folder / "venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def test_without_the_kit_the_first_cell_says_in_one_sentence_how_to_install_it(student_folder):
    for what, path in downloads().items():
        first = next(c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        run = subprocess.run([str(venv_python(student_folder)), "-c", first.source], cwd=student_folder,
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 0 and not run.stderr, f"{what}: {run.stderr[-500:]}"
        assert MISSING_KIT.match(run.stdout), f"{what} printed {run.stdout!r}"


@pytest.fixture(scope="session")
def kit_installed(student_folder):
    """The kit installed with the documented command, from the wheel copied into the folder.

    Dependencies come from the package index (pip's cache), at the versions the project
    pins (constraints.txt via PIP_CONSTRAINT), so the test is repeatable.
    """
    wheel = shutil.copy(kit_wheel(), student_folder)
    env = {**os.environ, "PIP_CONSTRAINT": str(ROOT / "constraints.txt"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    install = subprocess.run([str(venv_python(student_folder)), "-m", "pip", "install", Path(wheel).name],
                             cwd=student_folder, capture_output=True, text=True, timeout=900, env=env)
    assert install.returncode == 0, install.stderr[-3000:]
    return student_folder


def test_the_installed_kit_turns_off_the_jupyter_news_prompt(kit_installed):
    """The kit's install sets JupyterLab's and Notebook 7's defaults: no news prompt (issue 23, fault 5)."""
    settings = kit_installed / "venv" / "etc" / "jupyter" / "labconfig" / "default_setting_overrides.d"
    assert (settings / "after_mosul.json").is_file(), f"the kit did not install {settings}/after_mosul.json"
    overrides = json.loads((settings / "after_mosul.json").read_text(encoding="utf-8"))
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_the_installed_kit_finds_its_own_data_not_a_clone(kit_installed):
    probe = "import after_mosul, after_mosul.paths as p; print(after_mosul.__file__); print(p.DESCRIPTOR)"
    run = subprocess.run([str(venv_python(kit_installed)), "-c", probe], cwd=kit_installed,
                         capture_output=True, text=True, timeout=120)
    package, descriptor = run.stdout.split()
    assert package.startswith(str(kit_installed / "venv")), package
    assert descriptor.startswith(str(kit_installed / "venv"))
    assert descriptor.endswith("after_mosul/kit/data/datapackage.json"), descriptor


def run_alone(notebook: Path, folder: Path, python: Path) -> nbformat.NotebookNode:
    """Run ``notebook`` copied alone into ``folder`` with a kernel of the venv's ``python``."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    folder.mkdir()
    copy = Path(shutil.copy(notebook, folder))
    spec = folder.parent / "kernels" / "kit"
    if not spec.exists():
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "course kit", "language": "python", "env": {"PYTHONPATH": ""},
        }), encoding="utf-8")
    specs = KernelSpecManager(kernel_dirs=[str(spec.parent)])
    manager = KernelManager(kernel_name="kit", kernel_spec_manager=specs)
    executed = nbformat.reads(copy.read_text(encoding="utf-8"), as_version=4)
    client = NotebookClient(executed, km=manager, timeout=300, resources={"metadata": {"path": str(folder)}})
    try:
        client.execute()
    finally:  # the client does not own a kernel manager it was given: shut both down here
        if client.kc is not None:
            client.kc.stop_channels()
        if manager.has_kernel:
            manager.shutdown_kernel(now=True)
        manager.cleanup_resources()
    assert sorted(p.name for p in folder.iterdir()) == [copy.name], "running it wrote files next to it"
    return executed


def test_every_downloaded_notebook_runs_alone_with_only_the_kit(kit_installed):
    python = venv_python(kit_installed)
    for index, (what, path) in enumerate(downloads().items()):
        executed = run_alone(path, kit_installed / f"run{index}", python)
        outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
        errors = [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
        if errors:
            first = errors[0]
            raise AssertionError(f"{what}: {first.get('ename', '')} {first.get('evalue', first.get('text', ''))[:500]}")
        if what.startswith("chapter"):
            html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
            has_map = '<figure class="course-map"' in html and "data-book-src=" in html
            assert has_map, f"{what}: no map with Leaflet inside"
            assert '<form class="course-quiz"' in html, f"{what}: no quiz"


def test_every_chapter_page_links_its_notebook_the_kit_and_the_setup_page():
    name = kit_wheel().name
    for chapter in CHAPTERS:
        page = (BOOK / "chapters" / f"{chapter}.html").read_text(encoding="utf-8")
        note = page[page.index('class="admonition note run-yourself"'):]
        note = note[:note.index("</div>")]
        links = re.findall(r'href="([^"]+)"', note)
        assert links == [f"../lite/notebooks/index.html?path=chapters/{chapter}.ipynb",
                         f"../lite/notebooks/index.html?path=exercises/student/{chapter}.ipynb",
                         "../pages/setup.html#in-your-browser",
                         f"../_sources/chapters/{chapter}.ipynb", f"../kit/{name}", "../pages/setup.html"], links
        for link in links:
            file = link.split("?")[0].split("#")[0]
            assert (BOOK / "chapters" / file).resolve().is_file(), f"{chapter}: {link} is missing from the book"
        for notebook in re.findall(r"\?path=([^\"]+)", note):  # the browser site holds what the links open
            assert (BOOK / "lite" / "files" / notebook).is_file(), f"{chapter}: {notebook} is not in the browser site"
    setup = (BOOK / "pages" / "setup.html").read_text(encoding="utf-8")
    for link in re.findall(r'href="(\.\./(?:kit|downloads)/[^"]+)"', setup):
        assert (BOOK / "pages" / link).resolve().is_file(), f"setup page: {link} is missing from the book"


def wheel_modules(wheel: Path) -> dict[str, str]:
    """Dotted module name -> source, for every Python module the wheel holds."""
    with zipfile.ZipFile(wheel) as archive:
        return {name.removesuffix(".py").removesuffix("/__init__").replace("/", "."): archive.read(name).decode()
                for name in archive.namelist() if name.endswith(".py")}


def test_the_kit_wheel_holds_the_kits_modules_and_none_imports_a_build_or_test_tool():
    modules = wheel_modules(kit_wheel())
    assert set(modules) == {p.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".").removesuffix(".__init__")
                            for p in (ROOT / "after_mosul").rglob("*.py")}, "rebuild the kit: `make kit`"
    tools = build_and_test_tools()
    found = {name: sorted(imported(source) & tools) for name, source in modules.items() if imported(source) & tools}
    assert not found, f"the kit wheel holds modules that import build or test tools: {found}"


def test_every_module_of_the_kit_imports_in_a_venv_with_the_kit_alone(kit_installed):
    modules = sorted(wheel_modules(kit_wheel()))
    probe = ("import importlib, sys\n"
             "for name in sys.argv[1:]:\n"
             "    print(name, importlib.import_module(name).__file__)\n")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    run = subprocess.run([str(venv_python(kit_installed)), "-c", probe, *modules], cwd=kit_installed,
                         capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    files = dict(line.split(" ", 1) for line in run.stdout.splitlines())
    assert sorted(files) == modules
    outside = {name: file for name, file in files.items() if not file.startswith(str(kit_installed / "venv"))}
    assert not outside, f"imported from outside the student's venv: {outside}"
