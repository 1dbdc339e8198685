"""The hostile-string corpus through every renderer: data page, article page, maps, quizzes, feedback.

Unit level: nothing from the data reaches the HTML unescaped, nothing is read
from outside the project, every map iframe is sandboxed. The browser test
(tests/browser/test_hostile_browser.py) opens the same output in Chromium.
"""

import html
import pickle
import re
from pathlib import Path

import pytest
import yaml

from after_mosul import article, checks, data, maps
from after_mosul.quiz import Question, Quiz, arrange, load_quiz
from book import sphinx_pages

from ..conftest import ROOT
from . import corpus as hostile
from .corpus import CORPUS, SECRET_TEXT, shown

MARKUP = [text for text in CORPUS if "<" in text or ">" in text]


def visible_text(page: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    body = body.replace("<span>&#36;</span>", "$")  # each $ in its own inline span (after_mosul.htmltext) reads as $
    return shown(html.unescape(re.sub(r"<[^>]+>", " ", body)))


@pytest.fixture(scope="module")
def tiny_book(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(article, "load_article", hostile.hostile_article)
        out, warnings = hostile.build_tiny_book(tmp_path_factory.mktemp("tiny"))
    return out, warnings


def test_corpus_has_at_least_ten_kinds_of_hostile_string():
    assert len(CORPUS) >= 10
    for needle in (
        "<script>",
        "onerror=",
        "javascript:",
        "{raw}",
        "{include}",
        "{download}",
        "](javascript:",
        "![",
        '" onmouseover=',
        "${",
        "العراق",  # right-to-left text (bidirectional controls are refused: tests/hostile/test_hostile_data.py)
    ):
        assert any(needle in text for text in CORPUS), needle
    assert max(map(len, CORPUS)) > 4000


@pytest.mark.parametrize("page", ["data", "article"])
def test_generated_pages_show_every_hostile_string_as_text(tiny_book, page):
    out, warnings = tiny_book
    assert warnings == "", warnings
    source = (out / f"{page}.html").read_text(encoding="utf-8")
    text = visible_text(source)
    for hostile_text in CORPUS:
        assert shown(hostile_text) in text, f"{hostile_text[:40]!r} is not shown literally on {page}.html"
    for markup in MARKUP:
        assert markup not in source, f"{markup[:40]!r} reached {page}.html as markup"
    assert "javascript:" not in re.findall(r'href="([^"]*)"', source).__str__()


def test_no_data_field_includes_downloads_or_links_a_file(tiny_book):
    out, _ = tiny_book
    assert not (out / "_downloads").exists() and not (out / "_images").exists()
    for file in out.rglob("*"):
        if file.is_file() and file.suffix in (".html", ".js", ".txt"):
            assert SECRET_TEXT not in file.read_text(encoding="utf-8", errors="replace"), file
    links = re.findall(r'(?:href|src)="([^"]*)"', (out / "data.html").read_text(encoding="utf-8"))
    assert all(not link.startswith(("javascript:", "file:")) and "passwd" not in link for link in links), links


def test_article_page_links_each_paragraph_to_its_chapter(tiny_book):
    out, _ = tiny_book
    source = (out / "article.html").read_text(encoding="utf-8")
    for number, page in article.CHAPTER_OF_PARAGRAPH.items():
        block = source[source.index(f"¶{number}</strong>") :]
        assert re.search(r'href="([^"#]+)', block).group(1).endswith(f"{page.split('/')[-1]}.html")


def test_data_page_is_rebuilt_when_a_data_file_changes(tiny_book, tmp_path):
    folder = tmp_path / "book"
    hostile.build_tiny_book(folder)
    sources = folder / "data" / "sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8").replace("s0,", "s0,EDITED-LABEL ", 1), encoding="utf-8")
    out, warnings = hostile.rebuild(folder)
    assert warnings == ""
    assert "EDITED-LABEL" in (out / "data.html").read_text(encoding="utf-8")


def test_a_build_reads_each_data_file_once(tmp_path):
    """The bibliography and every table are asked for many times per build; each file is read once."""
    folder = tmp_path / "book"
    data.clear_cache()
    hostile.build_tiny_book(folder)
    read = {Path(file).name: n for file, n in data.READS.items() if Path(file).parent == folder / "data"}
    assert read and set(read.values()) == {1}, read
    assert "sources.csv" in read


def test_data_and_article_pages_are_rebuilt_when_the_code_that_renders_them_changes(tiny_book):
    out, _ = tiny_book
    with open(out.parent / "doctrees" / "environment.pickle", "rb") as file:
        env = pickle.load(file)
    for page in ("data", "article"):
        noted = {Path(d).name for d in env.dependencies[page]}
        assert "sphinx_pages.py" in noted, f"{page} does not depend on its renderer: {sorted(noted)}"


def test_every_notebook_page_depends_on_the_data_quizzes_and_package():
    noted = []

    class Env:
        docname = "chapters/02_mosul"

        def doc2path(self, docname):
            return ROOT / f"{docname}.ipynb"

        def note_dependency(self, path):
            noted.append(path)

    class App:
        env = Env()

    sphinx_pages.note_notebook_inputs(App(), None)
    for expected in [
        "data/events.csv",
        "data/datapackage.json",
        "data/outlines_region.geojson",
        "chapters/quizzes/02_mosul.yml",
        "after_mosul/maps.py",
    ]:
        assert str(ROOT / expected) in noted, expected
    noted.clear()
    App.env.doc2path = lambda docname: ROOT / "pages" / "data.md"
    sphinx_pages.note_notebook_inputs(App(), None)
    assert noted == []


def test_a_build_without_the_vendored_leaflet_stops_with_a_sentence(tmp_path):
    from sphinx.errors import ConfigError

    conf = "course_vendored_assets = ['vendor/leaflet/leaflet.js']\nhtml_extra_path = []\n"
    with pytest.raises(ConfigError, match=r"_extra/vendor/leaflet/leaflet.js is missing.*run `make setup`"):
        hostile.build_tiny_book(tmp_path, conf_extra=conf)


# -- maps -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_maps():
    return hostile.hostile_maps()


def test_map_documents_hold_no_hostile_markup_and_use_no_template_strings(hostile_maps):
    for output in hostile_maps:
        for markup in MARKUP:
            assert markup not in output.document, f"{output.name}: {markup[:40]!r} is unescaped"
        assert "bindTooltip(\n                `" not in output.document, "folium's raw template-string tooltip"
        assert "${" not in output._repr_html_().replace(html.escape("${"), "")


def test_every_map_iframe_is_sandboxed_without_same_origin(hostile_maps):
    for output in hostile_maps:
        figure = output._repr_html_()
        assert figure.count("<iframe") == 1 and 'sandbox="allow-scripts"' in figure
        assert "allow-same-origin" not in figure


def test_map_text_is_escaped_exactly_once():
    assert maps._text("<b>&amp;{{x}}") == "&lt;b&gt;&amp;amp;&#123;&#123;x&#125;&#125;"
    collection = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "<i>", "n": 1}}]}
    escaped = maps._escaped_collection(collection)
    assert (
        escaped["features"][0]["properties"] == {"name": "&lt;i&gt;", "n": 1} and escaped["type"] == "FeatureCollection"
    )
    assert collection["features"][0]["properties"]["name"] == "<i>", "the loaded data is not changed"
    assert (
        maps._js_string("{{ 1 }}</script>'").js_code == '"\\u007b\\u007b 1 \\u007d\\u007d\\u003c/script\\u003e\\u0027"'
    )


def test_template_syntax_in_map_data_is_not_evaluated_at_build_time(hostile_maps):
    # branca renders each script twice, the second time as a Jinja template: {{ 7*7 }} would become 49.
    for output in hostile_maps:
        assert "{{ 7*7 }}" not in output.document and "49 {% raw %}" not in output.document
        assert "49 XSS-11" not in output.document and "7*7" in output.document


# -- quizzes and feedback -----------------------------------------------------------


def hostile_quiz() -> Quiz:
    questions = tuple(
        Question(
            CORPUS[i],
            (CORPUS[(i + 1) % len(CORPUS)], CORPUS[(i + 2) % len(CORPUS)]),
            0,
            CORPUS[(i + 3) % len(CORPUS)],
            ("", CORPUS[(i + 4) % len(CORPUS)]),
        )
        for i in range(len(CORPUS))
    )
    return Quiz("hostile", CORPUS[0], questions)


def test_quiz_yaml_keeps_hostile_text_exactly_and_the_static_quiz_escapes_it(tmp_path):
    quiz = hostile_quiz()
    document = {
        "title": quiz.title,
        "questions": [
            {
                "prompt": q.prompt,
                "options": list(q.options),
                "answer": q.options[0],
                "explanation": q.explanation,
                "hints": {q.options[1]: q.hints[1]},
            }
            for q in quiz.questions
        ],
    }
    (tmp_path / "hostile.yml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    loaded = load_quiz("hostile", tmp_path)
    assert loaded == Quiz(quiz.quiz_id, quiz.title, arrange("hostile", quiz.questions))  # text unchanged, shuffled
    page = loaded.to_html()
    for markup in MARKUP:
        assert markup not in page
    text = visible_text(page)
    for hostile_text in CORPUS:
        assert shown(hostile_text) in text


def test_live_quiz_widget_escapes_its_html_and_shows_options_as_text():
    box = hostile_quiz().widget()
    for question_box in box.children[1:]:
        prompt, choice, feedback = question_box.children
        choice.value = 1
        for html_text in (prompt.value, feedback.value, box.children[0].value):
            for markup in MARKUP:
                assert markup not in html_text
    assert [label for label, _ in box.children[1].children[1].options] == list(hostile_quiz().questions[0].options)


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_check_feedback_escapes_what_it_quotes(text):
    for feedback in (
        checks.check_choice(text, ["Mosul", "Tikrit"], "Mosul"),
        checks.check_number(text, 266),
        checks.Feedback("wrong", text),
    ):
        box = feedback._repr_html_()
        for markup in MARKUP:
            assert markup not in box
    plain = text.replace("`", "")  # backticks mark code in feedback
    assert shown(plain) in visible_text(checks.Feedback("wrong", plain)._repr_html_())


PAYLOAD = "{{ cycler.__init__.__globals__.os.popen(dict(id=1)|first).read() }}"  # runs `id` if evaluated


def test_a_place_name_cannot_run_a_command_when_the_map_is_built():
    cmap = maps.CourseMap("payload", PAYLOAD, (36.3, 43.1), summary=PAYLOAD)
    layer = cmap.layer(PAYLOAD)
    cmap.add_point(36.3, 43.1, PAYLOAD, "captured", PAYLOAD, layer=layer)
    document = cmap.render().document
    assert "uid=" not in document and "os.popen" in document
