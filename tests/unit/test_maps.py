"""Maps are deterministic, titled, described in text, and carry Leaflet (the book shares one copy)."""

import html
import re

import pytest

import after_mosul as course
from after_mosul.maps import CHOROPLETH_PALETTE, LEAFLET_DIR, MAP_HEIGHT, SMALL_SCREEN_CSS, CourseMap, LegendEntry
from book.sphinx_kit import share_leaflet

from ..conftest import ROOT, in_a_fresh_process


def small_map(name="test_map"):
    cmap = CourseMap(name, "Mosul <test>", (36.34, 43.13), zoom=8, summary="A test map.")
    layer = cmap.layer("Phase 1")
    cmap.add_point(36.34, 43.13, "Mosul", "captured", "10 June 2014", layer=layer)
    cmap.add_point(36.30, 43.10, "Somewhere", "retaken", "later")
    return cmap.render()


def test_same_input_gives_byte_identical_html_in_another_process():
    fresh = in_a_fresh_process(f"from {__name__} import small_map", "small_map()._repr_html_()")
    assert fresh == small_map()._repr_html_()



def test_different_maps_get_different_element_ids():
    assert small_map("a").document != small_map("b").document


def test_map_iframe_has_a_title_and_a_text_description():
    html = small_map()._repr_html_()
    assert '<iframe title="Map: Mosul &lt;test&gt;"' in html
    assert "Text description of the map" in html
    assert "Captured by ISIS — Mosul: 10 June 2014" in html
    assert "Retaken from ISIS — Somewhere: later" in html
    document = small_map().document
    assert '<html lang="en">' in document and "<title>Mosul &lt;test&gt;</title>" in document


def test_map_carries_leaflet_inline_and_names_the_books_shared_copy():
    document = small_map().document
    leaflet = (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8")
    assert f'<script data-book-src="../vendor/leaflet/leaflet.js">{leaflet}</script>' in document
    assert '<style data-book-href="../vendor/leaflet/leaflet.css">' in document
    # nothing is left for a live front end to fetch: no script or stylesheet URL, no image path
    assert "<script src=" not in document and "<link rel=\"stylesheet\"" not in document
    assert "url(images/" not in document and "url(data:image/png;base64," in document
    assert "cdn.jsdelivr.net" not in document and "jquery" not in document and "bootstrap" not in document


def test_the_book_swaps_inline_leaflet_for_its_one_shared_copy():
    from book.sphinx_kit import share_leaflet_in_html

    output = small_map()._repr_html_()
    shared = share_leaflet_in_html(output)
    assert len(shared) < len(output) - 150_000
    document = html.unescape(shared.split('srcdoc="', 1)[1].split('"', 1)[0])
    assert '<script src="../vendor/leaflet/leaflet.js"></script>' in document
    assert '<link rel="stylesheet" href="../vendor/leaflet/leaflet.css"/>' in document
    assert document == share_leaflet(small_map().document)
    assert "L.marker(" in document and "data-book-" not in document


def test_the_packaged_leaflet_is_the_version_the_book_serves():
    vendored = ROOT / "node_modules" / "leaflet" / "dist"
    for name in ("leaflet.js", "leaflet.css"):
        assert (LEAFLET_DIR / name).read_bytes() == (vendored / name).read_bytes(), (
            f"after_mosul/assets/leaflet/{name} differs from node_modules: run book/vendor_assets.py")


def test_map_draws_natural_earth_outlines_under_the_tiles():
    document = small_map().document
    assert '"basemap"' in document and "Iraq" in document and "Tigris" in document
    assert document.index("basemap") < document.index("tile.openstreetmap.org")


def test_legend_names_each_symbol_in_words():
    document = small_map().document
    assert "captured by ISIS" in document and "retaken from ISIS" in document


def test_unknown_marker_category_gets_a_clear_error():
    cmap = CourseMap("bad", "Bad", (36, 43))
    with pytest.raises(ValueError, match="Unknown marker category 'volcano'"):
        cmap.add_point(36, 43, "X", "volcano")


def test_event_map_refuses_events_at_unknown_places():
    events = course.load("events").head(2).assign(place_id=["atlantis", "mosul"])
    with pytest.raises(ValueError, match="atlantis"):
        course.event_map("bad", "Bad", events, course.load("places"), "summary")


def test_event_map_describes_every_event_in_text():
    events = course.load("events")
    events = events[events["phase"] == "mosul_battle"]
    output = course.event_map("mosul_test", "Mosul", events, course.load("places"), "summary")
    assert len(output.items) == len(events)


def test_choropleth_names_every_class_and_country_in_text():
    output = course.choropleth_map("ff_test", "Fighters", {788: 6000, 250: 1700}, "summary", "fighters",
                                   [0, 1000, 5000, 7000], labels={788: "Tunisia", 250: "France"})
    assert output.items == ["Tunisia: 6,000 fighters", "France: 1,700 fighters"]
    assert "1,000–5,000 fighters" in output.document


def test_event_map_can_add_a_layer_of_undated_places_with_notes():
    events = course.load("events")
    places = course.load("places")
    extra = places[places["place_id"] == "mosul"]
    output = course.event_map("extra_test", "Extra", events.head(1), places, "summary",
                              extra=course.ExtraPlaces(extra, label="Cities", notes={"mosul": "a note"}))
    assert output.items[-1] == "Place — Mosul: a note"
    # the layer control lists the event layer, then the places' layer by its label
    layers = r'overlays : +\{\s*"Rise" : feature_group_\w+,\s*"Cities" : feature_group_\w+,\s*\}'
    assert re.search(layers, output.document)


def test_map_view_fits_every_point_without_zooming_past_the_authors_zoom():
    document = small_map().document
    assert "fitBounds(" in document
    assert "[[36.3, 43.1], [36.34, 43.13]]" in document and '"maxZoom": 8' in document


def test_rendering_twice_gives_the_same_map_with_one_layer_control_and_one_legend():
    cmap = CourseMap("twice", "Twice", (36.34, 43.13), zoom=8)
    cmap.add_point(36.34, 43.13, "Mosul", "captured", layer=cmap.layer("Phase 1"))
    first, second = cmap.render(), cmap.render()
    assert first == second
    assert second.document.count("L.control.layers(") == 1
    assert second.document.count('class="course-legend"') == 1
    assert second.document.count(SMALL_SCREEN_CSS) == 1


def test_a_point_added_after_rendering_is_in_the_next_render():
    cmap = CourseMap("later", "Later", (36.34, 43.13), zoom=8)
    cmap.add_point(36.34, 43.13, "Mosul", "captured")
    before = cmap.render()
    cmap.add_point(36.30, 43.10, "Somewhere", "retaken")
    after = cmap.render()
    assert before.document.count("L.marker(") == 1 and after.document.count("L.marker(") == 2
    assert before.document.count("retaken from ISIS") == 0 and "retaken from ISIS" in after.document


def test_legend_entries_are_typed_and_listed_once_each():
    cmap = CourseMap("legend", "Legend", (36.34, 43.13))
    cmap.add_point(36.34, 43.13, "Mosul", "captured")
    cmap.add_point(36.30, 43.10, "Tal Afar", "captured")
    cmap.add_choropleth({368: 10.0}, "Shaded", "units", [0, 5, 20])
    assert cmap.legend == [
        LegendEntry("captured by ISIS", category="captured"),
        LegendEntry("0–5 units", colour=CHOROPLETH_PALETTE[0]),
        LegendEntry("5–20 units", colour=CHOROPLETH_PALETTE[1]),
    ]
    document = cmap.render().document
    assert document.count("captured by ISIS</div>") == 1
    assert f"background:{CHOROPLETH_PALETTE[1]}" in document and f"background:{CHOROPLETH_PALETTE[2]}" not in document


def test_a_choropleth_with_more_classes_than_colours_gets_a_clear_error():
    cmap = CourseMap("bins", "Bins", (36.34, 43.13))
    with pytest.raises(ValueError, match="2 to 6 bin edges, got 8"):
        cmap.add_choropleth({368: 1.0}, "Too many", "units", [0, 1, 2, 3, 4, 5, 6, 7])


def test_every_map_frame_has_the_height_of_its_view():
    events = course.load("events").head(2)
    tall = course.event_map("tall", "Tall", events, course.load("places"), "s", view=course.MapView(height=600))
    assert "height:600px" in tall._repr_html_()
    assert f"height:{MAP_HEIGHT}px" in course.place_map("std", "Std", course.load("places").head(2), "s")._repr_html_()


def test_event_layers_name_each_layer_by_its_label_or_its_value():
    layers = course.EventLayers(by="stage", labels={"east_mosul": "East Mosul"})
    assert layers.label("east_mosul") == "East Mosul" and layers.label("west_mosul") == "West mosul"
