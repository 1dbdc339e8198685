"""A change to the build code re-reads every page (book/sphinx_rebuild.py), not only changed sources."""

from pathlib import Path

from sphinx.cmd.build import build_main

from book import sphinx_rebuild


def test_the_digest_follows_the_code(tmp_path):
    (tmp_path / "part.py").write_text("X = 1\n")
    before = sphinx_rebuild.code_digest([tmp_path])
    assert sphinx_rebuild.code_digest([tmp_path]) == before
    (tmp_path / "part.py").write_text("X = 2\n")
    assert sphinx_rebuild.code_digest([tmp_path]) != before


def build(source: Path, out: Path, capsys, *overrides: str) -> str:
    capsys.readouterr()
    assert build_main(["-b", "html", *overrides, str(source), str(out)]) == 0
    return capsys.readouterr().out


def test_a_changed_digest_rebuilds_pages_whose_sources_did_not_change(tmp_path, capsys):
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text("extensions = ['book.sphinx_rebuild']\n")
    (source / "index.rst").write_text("Page\n====\n\n.. toctree::\n\n   other\n")
    (source / "other.rst").write_text("Other\n=====\n")
    out = tmp_path / "html"
    build(source, out, capsys)
    assert "0 added, 0 changed" in build(source, out, capsys)  # nothing changed: nothing re-read
    rebuilt = build(source, out, capsys, "-D", "course_build_code=another")
    assert "[config changed ('course_build_code')] 2 added, 0 changed" in rebuilt, rebuilt
