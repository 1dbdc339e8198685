"""In the chapters, worked exercises fold their solutions, and the practice notebook is one click away."""

import re

import jupytext
import nbformat
import pytest

from ..conftest import CHAPTERS, ROOT


def exercise_cells(name: str, notebook) -> list:
    """The cells under "### Exercise ..." headings, up to the next heading."""
    inside, found = False, []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            headings = re.findall(r"^(#{2,3} .*)$", cell.source, re.M)
            if headings:
                inside = headings[-1].startswith("### Exercise")
        if inside:
            found.append(cell)
    return found


@pytest.mark.parametrize("name", CHAPTERS)
def test_exercise_code_is_folded_with_a_solution_label(name):
    notebook = nbformat.read(ROOT / "chapters" / f"{name}.ipynb", as_version=4)
    code = [c for c in exercise_cells(name, notebook) if c.cell_type == "code"]
    assert len(code) >= 2, f"{name}: no exercise code found"
    for cell in code:
        assert "hide-cell" in cell.metadata.get("tags", []), (
            f"{name}: exercise cell shows its solution: {cell.source[:60]}")
        assert cell.metadata.get("mystnb", {}).get("code_prompt_show") == "Show the solution"


@pytest.mark.parametrize("name", CHAPTERS)
def test_exercise_interpretations_are_folded_in_a_details_element(name):
    text = (ROOT / "chapters" / f"{name}.md").read_text(encoding="utf-8")
    blocks = re.split(r"^### ", text, flags=re.M)[1:]
    exercises = [b for b in blocks if b.startswith("Exercise")]
    for block in exercises:
        block = re.split(r"^## ", block, flags=re.M)[0]
        assert block.count("<details") == block.count("</details>") >= 1, f"{name}: {block[:50]!r} has no folded answer"
    assert ":::{dropdown}" not in text and "```{dropdown}" not in text  # raw in JupyterLab


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_links_its_student_notebook_at_the_top_and_at_the_exercises(name):
    text = (ROOT / "chapters" / f"{name}.md").read_text(encoding="utf-8")
    link = f'<a href="../exercises/student/{name}.ipynb">'
    first_exercise = text.index("### Exercise")
    assert text.count(link) >= 2
    assert text.index(link) < text.index("## ", text.index("# ") + 2)  # before the chapter's first section
    assert text.rfind(link, 0, first_exercise) > text.rfind("\n## ", 0, first_exercise) - 1
    assert (ROOT / "exercises" / "student" / f"{name}.ipynb").exists()
    notebook = jupytext.read(ROOT / "chapters" / f"{name}.md")
    assert sum(link in c.source for c in notebook.cells if c.cell_type == "markdown") >= 2
