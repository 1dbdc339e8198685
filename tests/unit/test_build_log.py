"""The build log says what matters: cutting the icon fonts down logs nothing at INFO (issue 23, fault 11).

fontTools logs every step of a subset at INFO, and ``make book`` showed dozens of those
lines; book/sphinx_icons.py cuts the fonts with fontTools' logger at WARNING.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pydata_sphinx_theme

from book.sphinx_icons import SOLID, subset_font

THEME_FONT = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "vendor"
              / "fontawesome" / "webfonts" / f"{Path(SOLID).name}.woff2")


def test_cutting_an_icon_font_logs_nothing_at_info(tmp_path, caplog):
    font = shutil.copy(THEME_FONT, tmp_path / THEME_FONT.name)
    caplog.set_level(logging.DEBUG)  # as a build that shows INFO would
    logging.getLogger("fontTools").setLevel(logging.NOTSET)  # fontTools' own default, before any build ran
    subset_font(Path(font), "woff2", {0xF007, 0xF015})  # user, house
    chatter = [r.getMessage() for r in caplog.records if r.name.startswith("fontTools") and r.levelno < logging.WARNING]
    assert not chatter, f"{len(chatter)} fontTools lines at INFO or below, e.g. {chatter[:3]}"
    assert Path(font).stat().st_size < THEME_FONT.stat().st_size
