"""Icon fonts cut to the icons the book shows (issue 13).

The theme's Font Awesome solid font (157 KB) and brands font (118 KB, drawn before links to github.com) are cut
down at the end of the build to the icons the pages and the theme's rules use (fontTools, pinned), a few KB each,
and the theme's stylesheet loses the rules of icons no page shows (85 KB).
"""

from __future__ import annotations

import re
from pathlib import Path


FA_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
FA_RULE = re.compile(r"([^{}]+)\{[^{}]*?content:\s*\"\\(f[0-9a-f]{3})\"[^{}]*\}")
SOLID = "_static/vendor/fontawesome/webfonts/fa-solid-900"
BRANDS = "_static/vendor/fontawesome/webfonts/fa-brands-400"  # the theme's icon on GitHub/GitLab links
THEME_ICON = re.compile(r'--pst-icon-[a-z-]+:\s*"(\\[0-9a-f]{4}|[\ue000-\uf8ff])"')


def used_icons(outdir: Path) -> set[str]:
    names: set[str] = set()
    for path in list(outdir.rglob("*.html")) + list((outdir / "_static").rglob("*.js")):
        if ("vendor" in path.parts and path.suffix == ".js") or path.relative_to(outdir).parts[0] == "lite":
            continue  # vendored scripts; the browser site (book/lite.py), which brings its own icons
        names |= set(FA_CLASS.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return names


def icon_codepoints(outdir: Path, names: set[str]) -> set[int]:
    """Codepoints of the used icon classes, and those the themes' own rules and variables draw."""
    points: set[int] = set()
    for css in (outdir / "_static").rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="ignore")
        for selectors, code in FA_RULE.findall(text):
            classes = re.findall(r"\.(fa-[a-z0-9-]+):{1,2}before", selectors)
            if not classes or any(c in names for c in classes):
                points.add(int(code, 16))
        for code in THEME_ICON.findall(text):  # e.g. --pst-icon-github, drawn before links to github.com
            points.add(int(code[1:], 16) if code.startswith("\\") else ord(code))
    return points


THEME_CSS = "_static/styles/pydata-sphinx-theme.css"


ICON_RULE = re.compile(r'(?<=[{}])([^{}]*:{1,2}before)\{content:"\\[ef][0-9a-f]{3}"\}')


def drop_unused_icon_rules(outdir: Path, names: set[str]) -> None:
    """Remove the theme stylesheet's rules for Font Awesome icons no page shows."""
    path = outdir / THEME_CSS
    if not path.is_file():
        return

    def keep(match) -> str:
        classes = re.findall(r"\.(fa-[a-z0-9-]+):{1,2}before", match.group(1))
        return match.group(0) if not classes or any(c in names for c in classes) else ""

    path.write_text(ICON_RULE.sub(keep, path.read_text(encoding="utf-8")), encoding="utf-8")


def subset_icon_fonts(outdir: Path) -> None:
    names = used_icons(outdir)
    points = icon_codepoints(outdir, names)
    drop_unused_icon_rules(outdir, names)
    for font in (SOLID, BRANDS):
        for suffix, flavor in ((".woff2", "woff2"), (".ttf", None)):
            subset_font(outdir / f"{font}{suffix}", flavor, points)


def subset_font(path: Path, flavor: str | None, points: set[int]) -> None:
    import logging as std_logging

    from fontTools import subset

    # fontTools logs every step of a subset at INFO: dozens of lines in the build log, none of them news
    std_logging.getLogger("fontTools").setLevel(std_logging.WARNING)

    if not path.is_file() or not points:
        return
    options = subset.Options()
    options.flavor = flavor
    options.layout_features = ["*"]
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(points))
    subsetter.subset(font)
    subset.save_font(font, str(path), options)
    font.close()


def build_finished(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        subset_icon_fonts(Path(app.outdir))


def setup(app):
    app.connect("build-finished", build_finished, priority=800)  # before sphinx_stylesheets joins the theme's CSS
    return {"parallel_read_safe": True, "parallel_write_safe": True}
