"""CITATION.cff: the same title, version and licences as the book and the package."""

import tomllib

import yaml

from ..conftest import ROOT


def test_citation_agrees_with_the_book_and_the_package():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert citation["cff-version"] == "1.2.0"
    assert citation["title"] == config["title"]
    assert citation["authors"] == [{"name": config["author"]}]
    assert citation["version"] == project["version"]
    assert project["license"] in citation["license"]  # an SPDX expression
    assert all(key in citation for key in ("message", "type", "abstract"))
