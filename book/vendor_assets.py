"""Copy the front-end files the built book serves itself from node_modules into _extra/.

_extra/ is Sphinx's html_extra_path: it lands at the root of _build/html, and
only the pages that ask for a file load it (unlike _static/, whose .js and .css
Jupyter Book adds to every page). So the book needs no CDN:

* Leaflet: loaded by every map iframe from ``../vendor/leaflet/`` (after_mosul/maps.py);
  the same files also go to ``after_mosul/assets/leaflet/`` (committed, and shipped
  in the course kit), which maps.py inlines into each map for live notebooks;
* MathJax 3: loaded by pages with math, via ``mathjax_path`` in _config.yml
  (``../vendor/mathjax/tex-mml-chtml.js``, relative to _static/), together with
  the files it loads lazily: its web fonts, TeX extensions, menu and
  accessibility (speech) components.

Each package's licence goes along. The npm packages and their versions are
pinned in package.json / package-lock.json (installed by ``npm ci``).
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ROOT / "node_modules"
TARGET = ROOT / "_extra" / "vendor"
PACKAGE_LEAFLET = ROOT / "after_mosul" / "assets" / "leaflet"

# package folder -> [(path in the package, path under _extra/vendor/<package>/)]
ASSETS = {
    "leaflet": [
        ("dist/leaflet.js", "leaflet.js"),
        ("dist/leaflet.css", "leaflet.css"),
        ("dist/images", "images"),
        ("LICENSE", "LICENSE"),
    ],
    "mathjax": [
        ("es5/tex-mml-chtml.js", "tex-mml-chtml.js"),  # Sphinx's default MathJax component
        ("es5/output/chtml/fonts/woff-v2", "output/chtml/fonts/woff-v2"),
        ("es5/input", "input"),  # TeX extensions loaded on demand (autoload)
        ("es5/ui", "ui"),  # the context menu
        ("es5/a11y", "a11y"),  # explorer / assistive MathML, enabled from the menu
        ("es5/sre", "sre"),  # speech rule engine used by a11y
        ("LICENSE", "LICENSE"),
    ],
}


def main() -> int:
    missing = [p for p in ASSETS if not (MODULES / p).is_dir()]
    if missing:
        print(f"node_modules lacks {', '.join(missing)}: run `npm ci` (or `make setup`) first.", file=sys.stderr)
        return 1
    for package, paths in ASSETS.items():
        destination = TARGET / package
        if destination.exists():
            shutil.rmtree(destination)
        destination.mkdir(parents=True)
        for relative, target_name in paths:
            source = MODULES / package / relative
            target = destination / target_name
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target)
            else:
                shutil.copy2(source, target)
        print(f"vendored {package} -> {destination.relative_to(ROOT)}")
    # the package's copy, inlined into map outputs: only what maps.py reads, and the licence
    if PACKAGE_LEAFLET.exists():
        shutil.rmtree(PACKAGE_LEAFLET)
    shutil.copytree(TARGET / "leaflet", PACKAGE_LEAFLET)
    print(f"vendored leaflet -> {PACKAGE_LEAFLET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
