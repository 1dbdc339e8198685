"""Where the project's folders are, wherever the notebooks run from."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DESCRIPTOR = DATA_DIR / "datapackage.json"
