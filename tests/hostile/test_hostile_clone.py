"""A clone made with core.autocrlf=true (Git for Windows' default) keeps every file byte-exact.

Without .gitattributes, such a clone rewrites line endings to CRLF and the
seed article fails its checksum. The test clones this repository's committed
HEAD that way and runs the seed check, the data loader and the quiz loader on
the clone.
"""

import subprocess

import pytest

from after_mosul import article, data
from after_mosul.quiz import load_quiz

from ..conftest import CHAPTERS, ROOT


@pytest.fixture(scope="module")
def crlf_clone(tmp_path_factory):
    inside = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True
    )
    if inside.stdout.strip() != "true":
        pytest.fail(f"{ROOT} is not a git checkout: this test clones it with core.autocrlf=true.", pytrace=False)
    clone = tmp_path_factory.mktemp("crlf") / "clone"
    subprocess.run(["git", "clone", "--quiet", "-c", "core.autocrlf=true", str(ROOT), str(clone)], check=True)
    return clone


def test_the_seed_passes_its_checksum_in_a_crlf_clone(crlf_clone):
    seed = crlf_clone / article.SEED_PATH.relative_to(ROOT)
    assert article.load_article.__wrapped__(seed).paragraphs == article.load_article().paragraphs


def test_no_tracked_text_file_gets_crlf_line_endings(crlf_clone):
    files = subprocess.run(["git", "-C", str(crlf_clone), "ls-files"], capture_output=True, text=True, check=True)
    changed = [
        name
        for name in files.stdout.splitlines()
        if (ROOT / name).is_file()
        and b"\r\n" in (crlf_clone / name).read_bytes()
        and b"\r\n" not in (ROOT / name).read_bytes()
    ]
    assert changed == [], f"core.autocrlf=true rewrote these files: {changed[:10]}"


def test_data_and_quizzes_load_from_a_crlf_clone(crlf_clone):
    data.clear_cache()
    try:
        assert len(data.load("events", crlf_clone / "data" / "datapackage.json")) > 10
    finally:
        data.clear_cache()
    for chapter in CHAPTERS:
        assert load_quiz(chapter, crlf_clone / "chapters" / "quizzes").questions
