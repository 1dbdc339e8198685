"""Shared fixtures: where the project and the built book are."""

import os
import subprocess
import sys

import pytest

from book.notebooks import CHAPTERS
from after_mosul.paths import PROJECT_ROOT as ROOT
from book.paths import built_book, missing_book

__all__ = ["CHAPTERS", "ROOT", "book_html", "in_a_fresh_process"]  # the test modules import CHAPTERS and ROOT from here


# Test files that share a session fixture costly enough to be set up once per run, and so run on one worker of
# `make test`: the browser tests' page visits (each page loaded, its maps drawn, axe run in light and dark mode).
SHARED_WORKER = {
    "visits": ("tests/browser/test_devices.py", "tests/browser/test_maps_offline.py", "tests/browser/test_pages.py"),
}


def worker_group(nodeid: str) -> str:
    """The unit `make test` gives one worker: the test's file, or the SHARED_WORKER group of that file."""
    file = nodeid.split("::")[0]
    return next((group for group, files in SHARED_WORKER.items() if file in files), file)


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` (make test) hands out whole worker_group()s.

    xdist's own loadgroup reads ``xdist_group`` marks through a node-id suffix that pytest 9 no longer keeps
    (pytest-xdist issue #1386), so it would spread a notebook's cells, which share one kernel, over two workers.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class WorkerGroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return worker_group(nodeid)

    return WorkerGroupScheduling(config, log)


@pytest.fixture(scope="session")
def book_html():
    """The built HTML book; tests that read it fail (not skip) when it is missing."""
    path = built_book()
    missing = missing_book(path)
    if missing:
        pytest.fail(missing, pytrace=False)
    return path


def in_a_fresh_process(setup: str, expression: str) -> str:
    """``expression`` (after ``setup``) written by a new Python with another hash seed.

    Comparing it with the same expression here shows that an output does not
    depend on the process (random or address-based ids, set order).
    """
    code = f"import sys\n{setup}\nsys.stdout.write({expression})"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout
