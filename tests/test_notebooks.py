"""Chapter notebooks: MyST twins in sync, outputs stored, and nbval strict enough to notice changes."""

import json
import subprocess
import sys

import jupytext
import nbformat
import pytest
import yaml

from .conftest import CHAPTERS, ROOT


def cells(notebook):
    return [(c.cell_type, c.source.strip(), tuple(c.metadata.get("tags", []))) for c in notebook.cells]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_markdown_source_and_stored_notebook_are_in_sync(chapter):
    markdown = jupytext.read(ROOT / "chapters" / f"{chapter}.md")
    stored = nbformat.read(ROOT / "chapters" / f"{chapter}.ipynb", as_version=4)
    assert cells(markdown) == cells(stored), (
        f"chapters/{chapter}.ipynb is out of date: run `make refresh` after editing chapters/{chapter}.md"
    )


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_notebook_stores_a_rendered_map_and_a_quiz(chapter):
    stored = nbformat.read(ROOT / "chapters" / f"{chapter}.ipynb", as_version=4)
    html = [o.get("data", {}).get("text/html", "") for c in stored.cells if c.cell_type == "code" for o in c.outputs]
    maps = [h for h in html if '<figure class="course-map"' in h]
    assert maps and all("<iframe title=\"Map: " in h and "Text description of the map" in h for h in maps)
    assert any('<form class="course-quiz"' in h for h in html)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_stored_notebooks_hold_no_errors_and_every_code_cell_ran(chapter):
    stored = nbformat.read(ROOT / "chapters" / f"{chapter}.ipynb", as_version=4)
    code = [c for c in stored.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "run `make refresh` to store outputs"
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not [o for c in code for o in c.outputs if o.get("name") == "stderr"]


def test_table_of_contents_has_the_five_chapters_in_order():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    assert files[:5] == [f"chapters/{c}" for c in CHAPTERS]


def test_only_one_twin_of_each_pair_is_in_the_book_source():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert "chapters/*.md" in config["exclude_patterns"]


def run_pytest(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


def test_nbval_fails_when_a_stored_output_changes(tmp_path):
    notebook = json.loads((ROOT / "chapters" / "02_mosul.ipynb").read_text(encoding="utf-8"))
    changed = False
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html and not changed and '<figure class="course-map"' in "".join(html):
                output["data"]["text/html"] = "".join(html).replace("Text description", "Text descriptions")
                changed = True
    assert changed
    (tmp_path / "changed.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    result = run_pytest("--nbval", "--nbval-current-env", "changed.ipynb", cwd=tmp_path)
    assert result.returncode == 1, result.stdout[-2000:]
    assert "Cell outputs differ" in result.stdout and "mismatch 'text/html'" in result.stdout


def test_pytest_never_collects_the_executed_copies_under_build():
    result = run_pytest("--collect-only", "-q")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "_build/" not in result.stdout
    assert "chapters/02_mosul.ipynb" in result.stdout


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_chapter_has_the_lesson_shape(chapter):
    text = (ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    order = ["Learning objectives", "> **¶", "## What happened next", "## Discussion questions", "## References"]
    positions = [text.find(marker) for marker in order]
    assert all(p >= 0 for p in positions), dict(zip(order, positions))
    assert positions == sorted(positions), "sections out of order"
    assert text.count("course.load(") >= 1 and text.count("### Exercise") >= 2
