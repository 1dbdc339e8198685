"""make test runs on two workers (pytest-xdist, --dist loadgroup): which tests share one."""

from tests.conftest import SHARED_WORKER, worker_group


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
