"""Copy the front-end files the built book serves itself from node_modules into _extra/.

_extra/ is Sphinx's html_extra_path: it lands at the root of _build/html, and
only the pages that ask for a file load it (unlike _static/, whose .js and .css
Jupyter Book adds to every page).
"""

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ROOT / "node_modules"
TARGET = ROOT / "_extra" / "vendor"

# (package folder, files or folders to copy) — each package's LICENSE goes along.
ASSETS = {
    "leaflet": ["dist/leaflet.js", "dist/leaflet.css", "dist/images", "LICENSE"],
}


def main():
    for package, paths in ASSETS.items():
        destination = TARGET / package
        if destination.exists():
            shutil.rmtree(destination)
        destination.mkdir(parents=True)
        for relative in paths:
            source = MODULES / package / relative
            target = destination / Path(relative).name
            if source.is_dir():
                shutil.copytree(source, target)
            else:
                shutil.copy2(source, target)
        print(f"vendored {package} -> {destination.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
