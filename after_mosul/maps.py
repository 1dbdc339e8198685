"""Folium maps in the course's one style, with deterministic, offline-ready HTML.

Every chapter map is a ``CourseMap``: a folium map with

* a basemap of Natural Earth outlines and rivers (Tigris, Euphrates) drawn
  *under* the tiles, so the map still shows borders, rivers and places when
  tiles are blocked or offline;
* markers that differ by symbol as well as colour, with a legend in words;
* a text description, generated from the same data, under the map;
* Leaflet inlined in the map's own document (from ``assets/leaflet/``), so a
  map draws in any Jupyter front end with no network; each inlined block names
  the book's shared copy (``../vendor/leaflet/``), and the book's Sphinx step
  (``book/sphinx_kit.py``) swaps the block for that one cached file;
* element ids derived from the map's name, so the same input always gives
  byte-identical HTML and nbval can compare outputs strictly.
"""

from __future__ import annotations

import base64
import json
import html
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import branca.element
import folium
import folium.template
from folium.utilities import JsCode

from .htmltext import NO_MATHS
from .data import load
from .determinism import branca_ids as deterministic_ids

LEAFLET_VERSION = "1.9.4"
ASSET_PREFIX = "../vendor/"  # chapters live one folder below the book's root
LEAFLET_DIR = Path(__file__).parent / "assets" / "leaflet"  # copied from node_modules by book/vendor_assets.py
MAP_HEIGHT = 460  # px, of every map's frame

TILES_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TILES_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors; '
    "outlines: Natural Earth (public domain)"
)

# Fills of a choropleth's classes, light to dark (ColorBrewer OrRd, 5 classes).
CHOROPLETH_PALETTE = ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000")

# One symbol per category, so colour never carries meaning alone.
# Colours are from the Okabe–Ito palette (safe for colour-blind readers).
STYLES = {
    "captured": ("▲", "#D55E00", "captured by ISIS"),
    "retaken": ("●", "#0072B2", "retaken from ISIS"),
    "declaration": ("★", "#000000", "declaration"),
    "offensive": ("➤", "#009E73", "offensive or advance"),
    "attack": ("✖", "#CC79A7", "attack"),
    "airstrike": ("✱", "#E69F00", "air strike with civilian deaths"),
    "destruction": ("■", "#882255", "destruction"),
    "death": ("✚", "#444444", "death of a leader"),
    "other": ("◆", "#56B4E9", "other event"),
    "place": ("◆", "#333333", "place"),
    "oil": ("⬣", "#000000", "oil field or refinery"),
    "mosque": ("⌂", "#117733", "mosque"),
    "region": ("◯", "#999933", "region"),
}


# On a phone the expanded layer list and the legend would cover most of the map.
SMALL_SCREEN_CSS = (
    "<style>.leaflet-control-attribution a { text-decoration: underline !important; }"  # not colour alone
    "@media (max-width: 520px) {"
    ".leaflet-control-layers, .course-legend { font-size: 11px !important; line-height: 14px !important; }"
    ".leaflet-control-layers-expanded { padding: 2px 4px; }"
    "}</style>"
)

# The legend and the attribution sit under the map, not over it: the map takes what is left.
LAYOUT_CSS = (
    "<style>body { display: flex; flex-direction: column; }"
    " body > .folium-map { flex: 1 1 auto; min-height: 0; height: auto !important; }"
    " .course-legend { display: flex; flex-wrap: wrap; gap: 0 12px; padding: 3px 6px;"
    " font: 12px/18px sans-serif; background: #fff; color: #222; border-top: 1px solid #999; }"
    " .course-legend a { color: #0b5cad; text-decoration: underline; }"
    " .map-title { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); margin: 0; }"
    " main { display: contents; }"
    " @media print { .leaflet-control-container { display: none; } }</style>"
)

# Past this many layers, or on a narrow screen, the layer list starts folded (opens on tap or focus).
COLLAPSE_LAYERS = "window.innerWidth < 600 || {many}"

# Runs in the map's document once its markers exist (see ``_spread_script``).
SPREAD_JS = """
(function (map) {
  // Markers closer than GAP px are pushed apart (drawn offset, each still at its own
  // tooltip and popup), so no marker's centre is hidden under another; recomputed per zoom.
  var GAP = 23;
  function spread() {
    var markers = [];
    map.eachLayer(function (l) { if (l instanceof L.Marker && l._icon) markers.push(l); });
    var home = markers.map(function (m) { return map.latLngToLayerPoint(m.getLatLng()); });
    var at = home.map(function (p) { return {x: p.x, y: p.y}; });
    for (var round = 0; round < 200; round++) {
      var moved = false;
      for (var i = 0; i < at.length; i++) for (var j = i + 1; j < at.length; j++) {
        var dx = at[j].x - at[i].x, dy = at[j].y - at[i].y, d = Math.sqrt(dx * dx + dy * dy);
        if (d >= GAP) continue;
        if (d < 0.01) { var a = (i + j) * 2.4; dx = Math.cos(a); dy = Math.sin(a); d = 1; }
        var push = (GAP - d) / 2 + 0.5;
        dx /= d; dy /= d;
        at[i].x -= dx * push; at[i].y -= dy * push; at[j].x += dx * push; at[j].y += dy * push;
        moved = true;
      }
      if (!moved) break;
    }
    markers.forEach(function (m, k) {
      var w = m._icon.offsetWidth / 2, h = m._icon.offsetHeight / 2;
      m._icon.style.marginLeft = (at[k].x - home[k].x - w) + "px";
      m._icon.style.marginTop = (at[k].y - home[k].y - h) + "px";
    });
  }
  // Shapes (outlines, lines) keep their hover tooltips but are not Tab stops:
  // the keyboard goes through the controls and the markers only.
  function unfocus() {
    document.querySelectorAll("path.leaflet-interactive").forEach(function (p) { p.setAttribute("tabindex", "-1"); });
  }
  var pending = null;
  function later() { clearTimeout(pending); pending = setTimeout(function () { spread(); unfocus(); }, 0); }
  map.on("zoomend viewreset overlayadd overlayremove layeradd resize", later);
  map.whenReady(later);
})(%s);
"""


def _text(value: object) -> str:
    """Text on its way into map HTML, escaped: the one place every data text passes.

    Leaflet shows tooltips, popups and layer names as HTML, so a place name or a
    label from the data must be escaped exactly once, here. Braces become
    entities too: branca parses each rendered script again as a Jinja template,
    so a ``{{ ... }}`` in the data would otherwise run at build time.
    """
    return html.escape(str(value)).replace("{", "&#123;").replace("}", "&#125;")


def _js_string(value: object) -> JsCode:
    """A JavaScript string literal of ``value`` (shown as-is, not as HTML) for a DOM property such
    as a marker's title: safe inside <script> and in branca's second template pass."""
    literal = json.dumps(str(value))
    for character in "<>&'{}":
        literal = literal.replace(character, f"\\u{ord(character):04x}")
    return JsCode(literal)


def _escaped_collection(value):
    """A copy of GeoJSON with every text in it (property names and values) escaped by ``_text``."""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, dict):
        return {_text(k): _escaped_collection(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped_collection(v) for v in value]
    return value


class _TextTooltip(folium.Tooltip):
    """folium's Tooltip puts its text raw into a JavaScript template string; this one passes it as JSON."""

    _template = folium.template.Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.bindTooltip({{ this.text|tojson }}, {{ this.options|tojavascript }});"
        "{% endmacro %}"
    )

    def __init__(self, text: str, **kwargs):
        super().__init__(_text(text), **kwargs)


def _icon_html(category: str) -> str:
    symbol, colour, _ = STYLES[category]
    return (
        f'<span style="display:inline-block;font:bold 16px/20px sans-serif;'
        f"color:{colour};text-shadow:0 0 2px #fff,0 0 2px #fff;width:20px;"
        f'text-align:center" aria-hidden="true">{symbol}</span>'
    )


class _TextPopup(branca.element.MacroElement):
    """A plain-text popup. folium's own Popup builds its content with jQuery,
    which the book does not load; Leaflet's bindPopup needs nothing else."""

    _template = branca.element.Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.bindPopup({{ this.content|tojson }}, {maxWidth: 280});"
        "{% endmacro %}"
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "TextPopup"
        self.content = _text(text)


@dataclass
class MapOutput:
    """A rendered map: an iframe with a title, and its text description."""

    name: str
    title: str
    document: str  # the full HTML document shown inside the iframe
    summary: str
    items: list[str]
    height: int = MAP_HEIGHT

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{_text(i)}</li>" for i in self.items)
        return (
            f'<div class="{NO_MATHS}"><figure class="course-map" id="map-{_text(self.name)}">'
            f'<iframe title="Map: {_text(self.title)}" sandbox="allow-scripts" '
            f'srcdoc="{html.escape(self.document)}" '
            f'style="width:100%;height:{self.height}px;border:1px solid #bbb"></iframe>'
            f"<figcaption><strong>Map: {_text(self.title)}.</strong> "
            f"{_text(self.summary)}</figcaption>"
            f'<details class="map-description"><summary>Text description of the map</summary>'
            f"<ul>{items}</ul></details></figure></div>"
        )

    def __repr__(self) -> str:
        return f"Map: {self.title} ({len(self.items)} features described in text)"

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))


@dataclass(frozen=True)
class LegendEntry:
    """One line of a map's legend: a marker's symbol or a colour swatch, and what it means in words."""

    text: str
    category: str | None = None  # a marker category (a key of STYLES)
    colour: str | None = None  # a shaded class's fill, when there is no category

    def html(self) -> str:
        if self.category is not None:
            swatch = _icon_html(self.category)
        else:
            swatch = (f'<span style="display:inline-block;width:14px;height:14px;background:{self.colour};'
                      'border:1px solid #333"></span>')
        return f"<div>{swatch} {_text(self.text)}</div>"


@dataclass(eq=False, frozen=True)
class Layer:
    """A layer readers can switch on and off; ``CourseMap.layer`` makes one, ``add_point`` fills it."""

    label: str
    show: bool = True


@dataclass(frozen=True)
class _Point:
    lat: float
    lon: float
    label: str
    category: str
    text: str
    layer: Layer | None


@dataclass(frozen=True)
class _Shading:
    values: dict[int, float]
    label: str
    unit: str
    bins: tuple[float, ...]
    outlines: str


@dataclass
class CourseMap:
    """A map being described: ``layer``, ``add_point`` and ``add_choropleth`` record what it shows,
    ``render()`` builds the folium map from that record (each call alike) into a ``MapOutput``."""

    name: str
    title: str
    center: tuple[float, float]
    zoom: int = 6
    summary: str = ""
    outlines: str | None = "outlines_region"  # None: no basemap (a choropleth draws its own)
    height: int = MAP_HEIGHT
    items: list[str] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    _parts: list[Layer | _Point | _Shading] = field(default_factory=list, repr=False)

    def layer(self, label: str, show: bool = True) -> Layer:
        """A named layer readers can switch on and off."""
        layer = Layer(label, show)
        self._parts.append(layer)
        return layer

    def add_point(
        self, lat: float, lon: float, label: str, category: str = "place",
        detail: str = "", layer: Layer | None = None,
    ) -> None:
        """A marker whose symbol shows ``category``; its text also goes in the description."""
        if category not in STYLES:
            raise ValueError(f"Unknown marker category {category!r}; use one of {sorted(STYLES)}.")
        text = f"{label}: {detail}" if detail else label
        self._parts.append(_Point(float(lat), float(lon), label, category, text, layer))
        self._add_to_legend(LegendEntry(STYLES[category][2], category=category))
        kind = STYLES[category][2]
        self.items.append(f"{kind[0].upper()}{kind[1:]} — {text}")

    def add_choropleth(
        self, values: dict[int, float], label: str, unit: str, bins: list[float], outlines: str = "outlines_world",
    ) -> None:
        """Shade countries (by ISO numeric id) into ``bins``; every class is named in the legend."""
        if not 2 <= len(bins) <= len(CHOROPLETH_PALETTE) + 1:
            raise ValueError(f"A choropleth needs 2 to {len(CHOROPLETH_PALETTE) + 1} bin edges, got {len(bins)}.")
        self._parts.append(_Shading(dict(values), label, unit, tuple(bins), outlines))
        for colour, low, high in zip(CHOROPLETH_PALETTE, bins, bins[1:]):
            self._add_to_legend(LegendEntry(f"{low:,.0f}–{high:,.0f} {unit}", colour=colour))

    def _add_to_legend(self, entry: LegendEntry) -> None:
        if entry not in self.legend:
            self.legend.append(entry)

    def render(self, asset_prefix: str = ASSET_PREFIX) -> MapOutput:
        """Build the map from what was recorded; every call gives the same ``MapOutput``."""
        steps = itertools.count()

        def ids():  # each step's element ids depend only on the map's name and the step's place
            return deterministic_ids(f"{self.name}:{next(steps)}")

        with ids():
            fmap = folium.Map(
                location=list(self.center), zoom_start=self.zoom, tiles=None,
                control_scale=True, prefer_canvas=False, attribution_control=False,
            )
            if self.outlines:
                _add_basemap(fmap, self.outlines)
            folium.TileLayer(
                TILES_URL, attr=TILES_ATTRIBUTION, name="OpenStreetMap", max_zoom=18, control=False,
            ).add_to(fmap)
        groups: dict[Layer, folium.FeatureGroup] = {}
        for part in self._parts:
            with ids():
                if isinstance(part, Layer):
                    groups[part] = folium.FeatureGroup(name=_text(part.label), show=part.show).add_to(fmap)
                elif isinstance(part, _Point):
                    _marker(part).add_to(groups[part.layer] if part.layer is not None else fmap)
                else:
                    _shaded_countries(part).add_to(fmap)
        with ids():
            self._add_controls(fmap, groups)
            fmap.default_js = [("leaflet", f"{asset_prefix}leaflet/leaflet.js")]
            fmap.default_css = [("leaflet_css", f"{asset_prefix}leaflet/leaflet.css")]
            document = fmap.get_root().render()
        document = inline_leaflet(document, asset_prefix)
        document = document.replace("<html>", '<html lang="en">', 1)
        head, _, tail = document.rpartition("</html>")  # after the map's own script
        document = head + f"<script>{SPREAD_JS % fmap.get_name()}</script>" + "\n</html>" + tail
        # a document of its own: one heading, one landmark, and zoom left to the reader
        document = document.replace("maximum-scale=1.0, user-scalable=no", "", 1)
        document = document.replace(
            "<body>", f'<body>\n<main>\n<h1 class="map-title">{_text(self.title)}</h1>', 1)
        document = document.replace("</body>", "</main>\n</body>", 1)
        document = document.replace("<head>", f"<head>\n    <title>{_text(self.title)}</title>", 1)
        return MapOutput(self.name, self.title, document, self.summary, list(self.items), self.height)

    def _add_controls(self, fmap: folium.Map, groups: dict) -> None:
        """The layer list, the view that fits every point, the page's CSS and the legend under the map."""
        if groups:
            # A long open list would hide the top of the map: past three layers it opens on
            # hover, tap or keyboard focus instead.
            many = "true" if len(groups) > 3 else "false"
            folium.LayerControl(collapsed=JsCode(COLLAPSE_LAYERS.format(many=many))).add_to(fmap)
        points = [(p.lat, p.lon) for p in self._parts if isinstance(p, _Point)]
        if points:
            # The author's zoom is the closest view; a narrow screen zooms out to show every point.
            lats, lons = zip(*points)
            fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(24, 24), max_zoom=self.zoom)
        fmap.get_root().header.add_child(branca.element.Element(SMALL_SCREEN_CSS + LAYOUT_CSS))
        rows = "".join(entry.html() for entry in self.legend)
        legend = f'<div class="course-legend">{rows}<div>Map data: {TILES_ATTRIBUTION}</div></div>'
        fmap.get_root().html.add_child(branca.element.Element(legend))


def _add_basemap(fmap: folium.Map, outlines: str) -> None:
    """Natural Earth outlines and rivers in a pane under the tiles: visible whenever tiles are not."""
    folium.map.CustomPane("basemap", z_index=150).add_to(fmap)
    # A backdrop, not content: no tooltips, no Tab stops, clicks go to the map.
    folium.GeoJson(
        _escaped_collection(load(outlines)), name="Country outlines (Natural Earth)", pane="basemap",
        style_function=lambda _: {"color": "#666", "weight": 1, "fillColor": "#f2efe9", "fillOpacity": 1},
        control=False, interactive=False,
    ).add_to(fmap)
    folium.GeoJson(
        _escaped_collection(load("rivers")), name="Rivers (Natural Earth)", pane="basemap",
        style_function=lambda _: {"color": "#4a90c2", "weight": 2.5, "opacity": 0.9},
        control=False, interactive=False,
    ).add_to(fmap)


def _marker(point: _Point) -> folium.Marker:
    marker = folium.Marker(
        [point.lat, point.lon],
        icon=folium.DivIcon(html=_icon_html(point.category), icon_size=(20, 20), icon_anchor=(10, 10)),
        tooltip=_TextTooltip(point.label),
        title=_js_string(point.text),
        alt=_js_string(point.text),
    )
    _TextPopup(point.text).add_to(marker)
    return marker


def _shaded_countries(shading: _Shading) -> folium.GeoJson:
    """Country outlines filled by the class of their value; a tooltip names country and value."""
    def klass(value):
        for i, upper in enumerate(shading.bins[1:]):
            if value <= upper:
                return i
        return len(shading.bins) - 2

    def style(feature):
        value = shading.values.get(feature["properties"]["iso_numeric"])
        if value is None:
            return {"color": "#888", "weight": 0.5, "fillColor": "#ffffff", "fillOpacity": 0.6}
        return {"color": "#333", "weight": 1, "fillColor": CHOROPLETH_PALETTE[klass(value)], "fillOpacity": 0.9}

    outline = load(shading.outlines)
    for feature in outline["features"]:
        value = shading.values.get(feature["properties"]["iso_numeric"])
        feature["properties"]["value"] = "no estimate" if value is None else f"{value:,.0f} {shading.unit}"
    return folium.GeoJson(
        _escaped_collection(outline), name=_text(shading.label), style_function=style,
        tooltip=folium.GeoJsonTooltip(fields=["name", "value"], labels=False),
    )


@cache
def _leaflet_files() -> tuple[str, str]:
    """Leaflet's script, and its stylesheet with the images it names as data: URLs."""
    script = (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8")
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")

    def data_url(match: re.Match) -> str:
        png = (LEAFLET_DIR / "images" / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(png).decode()})"

    return script, re.sub(r"url\(images/([\w-]+\.png)\)", data_url, css)


def inline_leaflet(document: str, asset_prefix: str = ASSET_PREFIX) -> str:
    """Replace the map document's links to Leaflet with Leaflet itself.

    Each inlined block keeps the book's URL in a ``data-book-src``/``data-book-href``
    attribute, so the book can swap it back for its one shared copy.
    """
    script, css = _leaflet_files()
    js_url, css_url = f"{asset_prefix}leaflet/leaflet.js", f"{asset_prefix}leaflet/leaflet.css"
    document = document.replace(f'<script src="{js_url}"></script>',
                                f'<script data-book-src="{js_url}">{script}</script>', 1)
    return document.replace(f'<link rel="stylesheet" href="{css_url}"/>',
                            f'<style data-book-href="{css_url}">{css}</style>', 1)


def _long_date(value) -> str:
    return f"{value.day} {value:%B %Y}"


KIND_CATEGORY = {"oil_field": "oil", "refinery": "oil", "mosque": "mosque", "region": "region",
                 "mountains": "region", "valley": "region"}


@dataclass(frozen=True)
class MapView:
    """Where a map opens and how tall its frame is; ``center=None`` centres it on its points."""

    center: tuple[float, float] | None = None
    zoom: int = 6
    height: int = MAP_HEIGHT

    def centred_on(self, frame) -> tuple[float, float]:
        if self.center is not None:
            return self.center
        return round(float(frame["latitude"].mean()), 2), round(float(frame["longitude"].mean()), 2)


@dataclass(frozen=True)
class EventLayers:
    """How an event map splits its events into layers: by the values of column ``by`` (None: one layer-less map),
    each named by ``labels`` or else by the value itself."""

    by: str | None = "phase"
    labels: Mapping[str, str] = field(default_factory=dict)

    def label(self, key) -> str:
        return self.labels.get(key, str(key).replace("_", " ").capitalize())


@dataclass(frozen=True)
class ExtraPlaces:
    """A layer of undated places (rows of data/places.csv) under ``label``, with ``notes`` per place_id."""

    places: object  # a DataFrame
    label: str = "Places"
    notes: Mapping[str, str] = field(default_factory=dict)


DEFAULT_VIEW = MapView()
LAYER_PER_PHASE = EventLayers()


def event_map(
    name: str, title: str, events, places, summary: str, *,
    view: MapView = DEFAULT_VIEW, layers: EventLayers = LAYER_PER_PHASE, extra: ExtraPlaces | None = None,
) -> MapOutput:
    """Map ``events`` (rows of data/events.csv) at their places (rows of data/places.csv).

    Each marker's symbol shows the event type; its tooltip, popup and the text
    description give the place, date and description.
    """
    joined = events.merge(places[["place_id", "name", "latitude", "longitude"]], on="place_id", how="left")
    unknown = joined.loc[joined["latitude"].isna(), "place_id"].unique().tolist()
    if unknown:
        raise ValueError(f"These events name places that are not in places.csv: {unknown}")
    joined = joined.sort_values(["date", "event_id"])
    cmap = CourseMap(name, title, view.centred_on(joined), zoom=view.zoom, summary=summary, height=view.height)
    made: dict[object, Layer] = {}
    for row in joined.itertuples():
        layer = None
        if layers.by:
            key = getattr(row, layers.by)
            if key not in made:
                made[key] = cmap.layer(layers.label(key))
            layer = made[key]
        cmap.add_point(row.latitude, row.longitude, row.name, row.type,
                       f"{_long_date(row.date)}. {row.description}", layer=layer)
    if extra is not None and len(extra.places):
        _add_places(cmap, extra.places, extra.notes, cmap.layer(extra.label))
    return cmap.render()


def _add_places(cmap: CourseMap, places, notes: Mapping[str, str], layer: Layer | None = None) -> None:
    for row in places.sort_values("place_id").itertuples():
        detail = notes.get(row.place_id, str(row.kind).replace("_", " "))
        cmap.add_point(row.latitude, row.longitude, row.name, KIND_CATEGORY.get(row.kind, "place"), detail, layer=layer)


def place_map(
    name: str, title: str, places, summary: str, *,
    view: MapView = DEFAULT_VIEW, notes: Mapping[str, str] | None = None,
) -> MapOutput:
    """Map ``places`` (rows of data/places.csv), symbol by kind; ``notes`` adds text per place_id."""
    cmap = CourseMap(name, title, view.centred_on(places), zoom=view.zoom, summary=summary, height=view.height)
    _add_places(cmap, places, notes or {})
    return cmap.render()


WORLD_VIEW = MapView(center=(38.0, 25.0), zoom=3)  # Europe, Africa and Asia


def choropleth_map(
    name: str, title: str, values: dict[int, float], summary: str, unit: str, bins: list[float], *,
    labels: Mapping[int, str] | None = None, view: MapView = WORLD_VIEW,
) -> MapOutput:
    """Shade countries (ISO numeric id -> value) on Natural Earth outlines of Europe, Africa and Asia."""
    center = view.center if view.center is not None else WORLD_VIEW.center
    cmap = CourseMap(name, title, center, zoom=view.zoom, summary=summary, outlines=None, height=view.height)
    cmap.add_choropleth(values, title, unit, bins)
    for iso, value in sorted(values.items(), key=lambda kv: -kv[1]):
        label = (labels or {}).get(iso, str(iso))
        cmap.items.append(f"{label}: {value:,.0f} {unit}")
    return cmap.render()
