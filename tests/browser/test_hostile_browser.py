"""The hostile-string corpus in Chromium: nothing runs, nothing is requested, the text shows literally.

A tiny book is built in a temporary folder with the course's Sphinx extension
(tests/hostile/corpus.py): the data and article pages generated from hostile data,
and pages holding hostile maps (every text sink), a hostile quiz and hostile
check feedback, as notebook outputs put them in a page. Chromium opens each
page with every alert/confirm/prompt replaced by a recorder, every request
recorded, and map tooltips, popups and layer lists opened.
"""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import pytest

from after_mosul import article, checks
from after_mosul.paths import PROJECT_ROOT

from ..hostile import corpus as hostile
from ..hostile.corpus import CORPUS, SECRET_TEXT, shown
from ..hostile.test_hostile_render import hostile_quiz
from . import harness

PAGES = ["data.html", "article.html", "maps.html", "quiz.html", "feedback.html"]

TRAP = """
for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
  window[name] = (...args) => { console.error('HOSTILE-EXECUTED ' + name + ' ' + args.join(' ')); };
}
"""

OPEN_EVERYTHING = """() => {
  const texts = [];
  const maps = [];
  for (const key of Object.keys(window)) {  // some globals (localStorage) throw in a sandbox
    try { if (window.L && window[key] instanceof L.Map) maps.push(window[key]); } catch (error) {}
  }
  const show = (element) => { if (element) texts.push(element.innerText); };
  for (const map of maps) {
    map.eachLayer(layer => {
      const tooltip = layer.getTooltip && layer.getTooltip();
      if (layer instanceof L.LayerGroup) {
        if (!tooltip) return;
        layer.eachLayer(child => {  // a GeoJSON tooltip opens on the feature under the mouse
          const at = child.getBounds ? child.getBounds().getCenter() : child.getLatLng();
          child.fire('mouseover', {latlng: at}, true);
          show(tooltip.getElement());
          child.fire('mouseout', {latlng: at}, true);
        });
        return;
      }
      if (tooltip) { layer.openTooltip(); show(tooltip.getElement()); layer.closeTooltip(); }
      const popup = layer.getPopup && layer.getPopup();
      if (popup) { layer.openPopup(); show(popup.getElement()); layer.closePopup(); }
    });
  }
  const control = document.querySelector('.leaflet-control-layers-list');
  const legend = document.querySelector('.course-legend');
  return {texts, layers: control ? control.textContent : '', legend: legend ? legend.innerText : '',
          maps: maps.length};
}"""

SAME_ORIGIN = "() => { try { return window.parent.document.title; } catch (error) { return 'blocked'; } }"


@pytest.fixture(scope="module")
def tiny_book(tmp_path_factory):
    maps = hostile.hostile_maps()
    feedback = "".join(
        f._repr_html_()
        for text in CORPUS
        for f in (
            checks.Feedback("wrong", text.replace("`", "")),  # backticks mark code
            checks.check_choice(text, ["Mosul"], "Mosul"),
        )
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(article, "load_article", hostile.hostile_article)
        out, warnings = hostile.build_tiny_book(
            tmp_path_factory.mktemp("tiny"),
            {
                "maps": "".join(m._repr_html_() for m in maps),
                "quiz": hostile_quiz().to_html(),
                "feedback": feedback,
            },
        )
    assert warnings == "", warnings
    leaflet = PROJECT_ROOT / "_extra" / "vendor" / "leaflet"
    if not leaflet.is_dir():
        pytest.fail(f"No vendored Leaflet at {leaflet}: run `make setup`.", pytrace=False)
    shutil.copytree(leaflet, out / "vendor" / "leaflet")  # maps load ../vendor/leaflet/ as in the book
    return out


@pytest.fixture(scope="module")
def hostile_visits(tiny_book, browser):
    """Each page opened once: what it requested, said and showed."""
    results = {}
    with harness.BookServer(tiny_book) as server:
        for tiny_page in PAGES:
            record = {"dialogs": [], "console": [], "errors": [], "foreign": [], "missing": [], "maps": []}
            context = browser.new_context()
            context.add_init_script(TRAP)

            def route(request_route, record=record, server=server):
                url = request_route.request.url
                host = urlsplit(url).hostname or ""
                if host in harness.LOCAL_HOSTS:
                    if server.file_of(url) is None and not url.endswith("favicon.ico"):
                        record["missing"].append(url)
                    request_route.continue_()
                elif harness.is_tile(host):
                    request_route.fulfill(status=200, content_type="image/png", body=harness.TRANSPARENT_PNG)
                else:
                    record["foreign"].append(url)
                    request_route.abort("blockedbyclient")

            context.route("**/*", route)
            page = context.new_page()
            page.on(
                "dialog", lambda dialog, record=record: (record["dialogs"].append(dialog.message), dialog.dismiss())
            )
            page.on("console", lambda message, record=record: record["console"].append(message.text))
            page.on("pageerror", lambda error, record=record: record["errors"].append(str(error)))
            page.goto(server.url(tiny_page), wait_until="load")
            page.wait_for_load_state("networkidle")
            for frame in page.main_frame.child_frames:
                frame.wait_for_selector(".leaflet-container", timeout=10_000)
                state = frame.evaluate(OPEN_EVERYTHING)
                state["parent"] = frame.evaluate(SAME_ORIGIN)
                state["title"] = frame.frame_element().get_attribute("title")
                record["maps"].append(state)
            page.wait_for_load_state("networkidle")
            record["text"] = shown(page.inner_text("body"))
            record["all_text"] = shown(page.evaluate("document.body.textContent"))
            record["html"] = page.content()
            context.close()
            results[tiny_page] = record
    return results


@pytest.mark.parametrize("tiny_page", PAGES)
def test_hostile_text_runs_nothing_and_requests_nothing(hostile_visits, tiny_page):
    record = hostile_visits[tiny_page]
    assert record["dialogs"] == [], record["dialogs"]
    executed = [m for m in record["console"] if "HOSTILE-EXECUTED" in m or "alert" in m]
    assert executed == [], executed
    assert record["errors"] == [], record["errors"]
    assert record["foreign"] == [], f"requests to other hosts: {record['foreign']}"
    assert record["missing"] == [], f"requests for files the book does not have: {record['missing']}"
    assert SECRET_TEXT not in record["html"]


@pytest.mark.parametrize("tiny_page", ["data.html", "article.html"])
def test_generated_pages_show_the_hostile_text_literally(hostile_visits, tiny_page):
    for text in CORPUS:
        assert shown(text) in hostile_visits[tiny_page]["text"], f"{text[:40]!r} not visible on {tiny_page}"


def test_quiz_shows_the_hostile_text_literally(hostile_visits):
    record = hostile_visits["quiz.html"]
    quiz = hostile_quiz()
    for question in quiz.questions:
        assert shown(question.prompt) in record["text"]
        for option in question.options:
            assert shown(option) in record["text"]
        assert shown(question.explanation) in record["all_text"]  # feedback, shown once an answer is chosen


def test_feedback_shows_the_hostile_text_literally(hostile_visits):
    for text in CORPUS:
        assert shown(text.replace("`", "")) in hostile_visits["feedback.html"]["text"], text[:40]


def test_every_map_runs_sandboxed_and_shows_each_sink_literally(hostile_visits):
    maps = {state["title"]: state for state in hostile_visits["maps.html"]["maps"]}
    assert len(maps) == 3 and all(state["maps"] == 1 for state in maps.values()), maps.keys()
    for state in maps.values():
        assert state["parent"] == "blocked", "a map iframe can reach the page around it"
        texts = shown(" ".join(state["texts"]))
        for text in CORPUS:  # outline names (GeoJSON tooltips), marker and line tooltips, popups
            assert shown(text) in texts, f"{state['title'][:40]!r}: {text[:40]!r} not shown literally"
    events, choropleth = maps[f"Map: {CORPUS[0]}"], maps[f"Map: {CORPUS[3]}"]
    for text in (CORPUS[2], CORPUS[3], CORPUS[4], CORPUS[9]):  # layer names
        assert shown(text) in shown(events["layers"]), text[:40]
    assert shown(CORPUS[5]) in shown(choropleth["legend"])  # the unit
    assert shown(f"10 {CORPUS[5]}") in shown(" ".join(choropleth["texts"]))
    page = hostile_visits["maps.html"]["all_text"]
    for text in CORPUS[:8]:  # titles, summaries and the text descriptions around the maps
        assert shown(text) in page
