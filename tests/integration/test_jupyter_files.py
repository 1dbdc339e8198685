"""Opening and saving a notebook in Jupyter touches that notebook only (jupytext loaded, as in the project's Lab).

The project's Jupyter server, with jupytext's contents manager (installed with
jupytext), serves a copy of the project's notebooks and configuration. Through
the contents API -- what JupyterLab calls to open and save -- a chapter and an
exercise notebook are opened, edited and saved. No other file may change and
none may appear, except Jupyter's own checkpoint in ``.ipynb_checkpoints/``
(gitignored). Then every chapter notebook made newer than its MyST source (as
``make refresh`` leaves them) must still open.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ..conftest import CHAPTERS, ROOT

TOKEN = "test-token"
COPIED = ["chapters", "exercises", "pyproject.toml"]  # notebooks, sources, and the project's jupytext config


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JupyterServer:
    """``jupyter server`` on 127.0.0.1 serving ``root``; ``api()`` calls its REST API."""

    def __init__(self, root: Path, app: str = "jupyter_server", extra: list[str] | None = None):
        self.root, self.port = root, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(root.parent / "server.log", "w+", encoding="utf-8")  # closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", app, f"--ServerApp.root_dir={root}", f"--ServerApp.port={self.port}",
             "--ServerApp.ip=127.0.0.1", "--ServerApp.open_browser=False", f"--IdentityProvider.token={TOKEN}",
             "--ServerApp.port_retries=0", "--allow-root", *(extra or [])],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=root, env={**os.environ, "JUPYTER_PLATFORM_DIRS": "1"},
        )
        deadline = time.monotonic() + 180
        while True:
            try:
                self.api("GET", "api/status")
                break
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail("jupyter server did not start:\n" + (root.parent / "server.log").read_text()[-2000:])
                time.sleep(0.3)

    def api(self, method: str, path: str, body: dict | None = None):
        request = urllib.request.Request(
            f"{self.base}/{path}", method=method, data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # localhost only
            return json.loads(response.read() or b"null")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def server(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in COPIED:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / name)
    running = JupyterServer(project)
    yield running
    running.stop()


def open_edit_save(server: JupyterServer, path: str) -> None:
    model = server.api("GET", f"api/contents/{path}?content=1")
    assert model["type"] == "notebook"
    notebook = model["content"]
    notebook["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "My own note.", "id": "my-note"})
    server.api("PUT", f"api/contents/{path}", {"type": "notebook", "format": "json", "content": notebook})


def test_opening_and_saving_notebooks_changes_no_other_file(server):
    assert server.api("GET", "api/contents/chapters/01_rise.md?type=notebook&content=1")["type"] == "notebook", (
        "jupytext's contents manager is not loaded, so this test would prove nothing")
    saved = ["chapters/01_rise.ipynb", "exercises/student/01_rise.ipynb"]
    before = snapshot(server.root)
    for path in saved:
        open_edit_save(server, path)
    after = snapshot(server.root)
    after = {p: h for p, h in after.items() if "/.ipynb_checkpoints/" not in f"/{p}"}
    created = sorted(set(after) - set(before))
    changed = sorted(p for p in before if after.get(p) != before[p])
    assert not created, f"saving {saved} created {created} (implicit jupytext pairing?)"
    assert changed == sorted(saved), f"saving {saved} changed {changed}"
    for path in saved:
        assert "My own note." in (server.root / path).read_text(encoding="utf-8")


def test_every_chapter_opens_when_its_notebook_is_newer_than_its_source(server):
    """``make refresh`` writes each .ipynb after its .md; paired notebooks then refused to open."""
    later = time.time() + 120
    for chapter in CHAPTERS:
        os.utime(server.root / "chapters" / f"{chapter}.ipynb", (later, later))
    for chapter in CHAPTERS:
        model = server.api("GET", f"api/contents/chapters/{chapter}.ipynb?content=1")
        assert model["type"] == "notebook" and model["content"]["cells"], chapter
