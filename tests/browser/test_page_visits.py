"""Every page of the built book, opened once in Chromium (light and dark mode, maps drawn, axe-core run) with only
the book's own server reachable; every test that reads these page visits (the session fixture ``visits``,
conftest.py) is in this file, so `make test`'s ``--dist loadfile`` runs them on one worker and each page is
opened once (tests/unit/test_layout.py checks that no other file asks for ``visits``)."""

from __future__ import annotations

from . import harness


def test_every_page_loads_nothing_from_third_parties(page_path, visits):
    seen = visits(page_path)
    assert not seen.third_party, (
        f"{page_path} asked third-party hosts {seen.third_party_hosts} (only map tiles may come from "
        "outside): serve the file from the book (book/vendor_assets.py, _extra/vendor/):\n  "
        + "\n  ".join(seen.third_party[:10])
    )


def test_every_page_opens_without_console_errors(page_path, visits):
    seen = visits(page_path)
    errors = seen.console_errors
    assert not errors, f"{page_path} logged console errors:\n  " + "\n  ".join(errors[:10])


def test_every_page_has_no_serious_accessibility_violations(page_path, visits):
    seen = visits(page_path)
    assert not seen.serious_axe, (
        f"axe-core finds serious or critical violations on {page_path} (the page and its map iframes):\n"
        + harness.describe_violations(seen.serious_axe)
    )


def test_every_page_has_no_serious_accessibility_violations_in_dark_mode(page_path, visits):
    # readers whose system is dark get the theme's dark mode (default_mode "auto"), others can pick it
    seen = visits(page_path)
    assert not seen.serious_axe_dark, (
        f"axe-core finds serious or critical violations on {page_path} in dark mode:\n"
        + harness.describe_violations(seen.serious_axe_dark)
    )


# -- maps (iframes under figure.course-map), as a student sees them with tiles blocked


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


def _axe_all(seen) -> list[dict]:
    return [dict(v, mode="light") for v in seen.axe] + [dict(v, mode="dark") for v in seen.axe_dark]


def test_axe_reports_no_violation_of_any_impact_in_light_or_dark_mode(page_path, visits):
    found = _axe_all(visits(page_path))
    assert not found, f"axe-core finds violations on {page_path}:\n" + "\n".join(
        f"  ({v['mode']}) " + harness.describe_violations([v]).strip() for v in found)
