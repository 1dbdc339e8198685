"""Where the course's files are, wherever the notebooks run from.

In a clone (or an editable install) they are the repository's own folders. An
installed course kit (the wheel built by ``make kit``) carries copies of them
under ``after_mosul/kit/`` with the same layout (see setup.py), used first.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
KIT_DIR = PACKAGE_DIR / "kit"
PROJECT_ROOT = KIT_DIR if (KIT_DIR / "data" / "datapackage.json").is_file() else PACKAGE_DIR.parent
DATA_DIR = PROJECT_ROOT / "data"
DESCRIPTOR = DATA_DIR / "datapackage.json"

