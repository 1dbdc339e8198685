"""The joined stylesheet (book/css_bundle.py, book/sphinx_stylesheets.py), the per-page asset choices
(book/sphinx_assets.py) and the icon fonts (book/sphinx_icons.py)."""

import posixpath
import re

import pytest
import tinycss2

from book import css_bundle, sphinx_assets, sphinx_icons, sphinx_stylesheets


def _tree(root):
    (root / "_static" / "styles").mkdir(parents=True)
    (root / "_static" / "img").mkdir()
    (root / "_static" / "img" / "x.png").write_bytes(b"png")
    (root / "_static" / "f.woff2").write_bytes(b"font")
    (root / "_static" / "styles" / "theme.css").write_text('@import "../basic.css";\n', encoding="utf-8")
    (root / "_static" / "basic.css").write_text(
        '@charset "UTF-8";\n.basic { background: url(img/x.png) }\n', encoding="utf-8")
    (root / "_static" / "styles" / "main.css").write_text(
        '@font-face { font-family: F; src: url("../f.woff2?v=1") format("woff2") }\n'
        '.main { background: url(data:image/png;base64,AAAA) } .ext { background: url(https://example.org/a.png) }\n'
        '.é::before { content: "\\f09b" }\n', encoding="utf-8")
    (root / "_static" / "devices.css").write_text(
        "@media print { .main { background: url('img/x.png') } }\n.last { color: red }\n", encoding="utf-8")
    return ["_static/styles/theme.css", "_static/styles/main.css", "_static/devices.css"]


def _urls(css: str) -> list[str]:
    found = []

    def walk(nodes):
        for node in nodes or []:
            if node.type == "url":
                found.append(node.value)
            elif node.type == "function" and node.lower_name == "url":
                found.extend(a.value for a in node.arguments if a.type == "string")
            for attribute in ("prelude", "content", "arguments"):
                walk(getattr(node, attribute, None) if isinstance(getattr(node, attribute, None), list) else [])

    walk(tinycss2.parse_stylesheet(css))
    return found


def test_the_bundle_joins_the_sheets_in_order_with_imports_inlined_and_urls_that_resolve(tmp_path):
    sources = _tree(tmp_path)
    target = css_bundle.bundle_name("_static/styles", sources)
    path = css_bundle.write_bundle(tmp_path, target, sources)
    css = path.read_text(encoding="utf-8")
    assert "@import" not in css and css.count("@charset") == 1 and css.startswith('@charset "UTF-8";')
    assert css.index(".basic") < css.index(".main") < css.index(".last"), "the cascade order changed"
    assert '"\uf09b"' in css and ".é::before" in css  # an escape comes out as its character (UTF-8)
    urls = _urls(css)
    assert "https://example.org/a.png" in urls and "data:image/png;base64,AAAA" in urls
    local = [u for u in urls if "://" not in u and not u.startswith("data:")]
    assert len(local) == 3, local
    for url in local:
        assert (tmp_path / posixpath.dirname(target) / url.split("?")[0]).resolve().is_file(), url
    assert "../f.woff2?v=1" in local
    assert css_bundle.sources_of(path) == sources


def test_a_placeholder_names_its_sources_and_an_unknown_file_is_refused(tmp_path):
    sources = _tree(tmp_path)
    path = css_bundle.write_bundle(tmp_path, "_static/styles/course-x.css", sources, contents=False)
    assert css_bundle.sources_of(path) == sources
    other = tmp_path / "_static" / "devices.css"
    with pytest.raises(ValueError, match="not a stylesheet bundle"):
        css_bundle.sources_of(other)


def test_an_import_with_a_condition_is_refused_rather_than_dropped(tmp_path):
    (tmp_path / "a.css").write_text('@import "b.css" print;\n', encoding="utf-8")
    (tmp_path / "b.css").write_text(".b{}", encoding="utf-8")
    with pytest.raises(ValueError, match="condition"):
        css_bundle.stylesheet(tmp_path, "a.css", "")


class _Asset:
    def __init__(self, filename, **attributes):
        self.filename = filename
        self.attributes = {"rel": "stylesheet", "type": "text/css", **attributes}


@pytest.mark.parametrize("body, kept", [
    ('<a href="https://example.org/isis-made-usd-2-4-bln">x</a>', False),  # "-usd-" is no sphinx-design class
    ('<div class="sd-tab-set docutils">', True),
    ('<div class="docutils sd-card">', True),
])
def test_sphinx_design_assets_load_only_where_its_classes_are(body, kept):
    context = {"body": body, "css_files": [_Asset("_static/sphinx-design.min.css"), _Asset("_static/quiz.css")]}
    sphinx_assets.drop_unused_assets(context)
    names = [a.filename for a in context["css_files"]]
    assert ("_static/sphinx-design.min.css" in names) is kept
    assert "_static/quiz.css" in names


class _Script:
    def __init__(self, filename, **attributes):
        self.filename, self.attributes = filename, attributes


def test_the_books_scripts_load_deferred_except_those_inline_snippets_read_at_once():
    def written(js) -> str:  # as Sphinx's js_tag writes them
        attributes = "".join(f' {k}="{v}"' for k, v in sorted(js.attributes.items()) if k != "body")
        return f'<script{attributes} src="{js.filename}"></script>' if js.filename else "<script>inline</script>"

    context = {"js_tag": written}
    sphinx_assets.defer_scripts(context)
    tag = context["js_tag"]
    deferred = '<script defer="defer" src="_static/sphinx-book-theme.js"></script>'
    assert tag(_Script("_static/sphinx-book-theme.js")) == deferred
    for kept in (_Script("_static/documentation_options.js"), _Script("", body="var x = 1;"),
                 _Script("_static/a.js", **{"async": "async"})):
        assert tag(kept) == written(kept)
    assert tag(_Script("_static/b.js", defer="defer")).count("defer=") == 1


def test_no_build_code_uses_a_private_sphinx_name():
    """Names starting with ``_`` in Sphinx (``_file_checksum``, ``_JavaScript``) change without notice."""
    import ast

    from ..conftest import ROOT

    found = []
    for path in sorted((ROOT / "book").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sphinx":
                names = [a.name for a in node.names]
                if any(part.startswith("_") for part in node.module.split(".") + names):
                    found.append(f"{path.name}: from {node.module} import {', '.join(names)}")
    assert not found, found


def test_only_plain_local_stylesheets_are_joined():
    assert sphinx_stylesheets._bundleable(_Asset("_static/quiz.css"))
    assert not sphinx_stylesheets._bundleable(_Asset("_static/print.css", media="print"))
    assert not sphinx_stylesheets._bundleable(_Asset("https://cdn.example.org/x.css"))


def test_the_theme_icon_variables_are_kept_in_the_icon_fonts(tmp_path):
    styles = tmp_path / "_static" / "styles"
    styles.mkdir(parents=True)
    (styles / "t.css").write_text(':root{--pst-icon-github:"\uf09b";--pst-icon-gitlab:"\\f296"}', encoding="utf-8")
    assert {0xF09B, 0xF296} <= sphinx_icons.icon_codepoints(tmp_path, set())
    assert re.search(sphinx_icons.THEME_ICON, '--pst-icon-x:"a"') is None


def test_a_build_without_purgecss_says_how_to_get_it(tmp_path):
    sources = _tree(tmp_path)
    css_bundle.write_bundle(tmp_path, css_bundle.bundle_name("_static/styles", sources), sources)
    sentence = sphinx_stylesheets.purge_bundles(tmp_path, confdir=tmp_path / "elsewhere")
    assert sentence and "purgecss is missing" in sentence and "make setup" in sentence


def test_purgecss_keeps_the_rules_the_pages_scripts_and_quiz_key_use(tmp_path):
    from after_mosul.paths import PROJECT_ROOT

    sources = _tree(tmp_path)
    styles = tmp_path / "_static" / "devices.css"
    styles.write_text(".used{color:red}.unused-rule{color:blue}.js-only{color:green}.quiz-key-question{color:teal}"
                      "@media print{.unused-print{display:none}}", encoding="utf-8")
    (tmp_path / "page.html").write_text('<p class="used">x</p>', encoding="utf-8")
    (tmp_path / "_static" / "app.js").write_text('el.classList.add("js-only")', encoding="utf-8")
    bundle = css_bundle.write_bundle(tmp_path, css_bundle.bundle_name("_static/styles", sources), sources)
    assert sphinx_stylesheets.purge_bundles(tmp_path, confdir=PROJECT_ROOT) is None
    css = bundle.read_text(encoding="utf-8")
    assert ".used" in css and ".js-only" in css and ".quiz-key-question" in css
    assert ".unused-rule" not in css and ".unused-print" not in css
    assert css_bundle.sources_of(bundle) == sources, "the purged bundle no longer names its sources"
