"""make test runs on two workers (pytest-xdist, --dist loadgroup): which tests share one."""

import re
import subprocess
import sys

from tests.conftest import ROOT, SHARED_WORKER, worker_group


def test_a_files_tests_and_a_notebooks_cells_share_a_worker():
    assert worker_group("tests/test_kit.py::test_a") == worker_group("tests/test_kit.py::test_b[x::y]")
    assert worker_group("tests/test_kit.py::test_a") != worker_group("tests/test_hub.py::test_a")
    assert worker_group("chapters/01_rise.ipynb::Cell 0") == worker_group("chapters/01_rise.ipynb::Cell 7")
    assert worker_group("chapters/01_rise.ipynb::Cell 0") != worker_group("chapters/02_mosul.ipynb::Cell 0")


def test_the_files_using_the_page_visits_share_one_worker():
    groups = {worker_group(f"{file}::test_x[intro.html]") for file in SHARED_WORKER["visits"]}
    assert groups == {"visits"}
    assert worker_group("tests/browser/test_print.py::test_x") == "tests/browser/test_print.py"


def test_every_file_of_this_run_that_uses_the_page_visits_is_in_their_group(request):
    """A new browser test file that asks for ``visits`` must join the group, or its pages are loaded twice."""
    using = {item.nodeid.split("::")[0] for item in request.session.items
             if "visits" in getattr(item, "fixturenames", ())}
    outside = sorted(using - set(SHARED_WORKER["visits"]))
    assert not outside, f"add {outside} to SHARED_WORKER['visits'] in tests/conftest.py"


def test_make_tests_scheduler_runs_the_files_sharing_the_page_visits_on_one_worker(book_html):
    """Two of the files, on two workers as `make test` runs them (only tests that need no browser are picked)."""
    files = ["tests/browser/test_pages.py", "tests/browser/test_devices.py"]
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "2", "--dist", "loadgroup",
                             "-v", *files, "-k", "footer or download_menu"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:]
    ran = re.findall(r"^\[(gw\d)\] .*PASSED (tests/browser/\w+\.py)::", result.stdout, re.M)
    assert {file for _, file in ran} == set(files), result.stdout[-2000:]
    assert len({worker for worker, _ in ran}) == 1, sorted(set(ran))
