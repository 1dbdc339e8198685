"""Every map (iframe under figure.course-map), as a student sees it with tiles blocked."""

from __future__ import annotations


def test_every_map_draws_its_markers_and_shapes_without_tiles(map_ref, visits):
    page_path, map_id = map_ref
    state = visits(page_path).maps.get(map_id)
    assert state is not None, f"{map_id} was not found when {page_path} was opened"
    where = f"{page_path}#{map_id}"
    assert state.get("leaflet"), f"{where}: no Leaflet map in the iframe (did ../vendor/leaflet/ load?)"
    assert state["created_markers"] == state["declared_markers"], (
        f"{where}: the map's script declares {state['declared_markers']} markers but created "
        f"{state['created_markers']}: it stopped part-way (see the page's console errors)."
    )
    assert state["marker_icons"] == state["markers_on_map"], (
        f"{where}: {state['markers_on_map']} markers are on the map but {state['marker_icons']} are drawn."
    )
    if state["shapes_declared"]:
        assert state["paths"] > 0, f"{where}: outlines or shapes are declared but no path is drawn."
    assert state["marker_icons"] + state["paths"] > 0, f"{where}: nothing is drawn without tiles."


def test_every_map_iframe_has_a_title(map_ref, visits):
    page_path, map_id = map_ref
    state = visits(page_path).maps[map_id]
    assert state["title"], f"{page_path}#{map_id}: the map's iframe has no title for screen readers."
    assert state.get("lang"), f"{page_path}#{map_id}: the map's document declares no language."
