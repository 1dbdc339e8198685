"""Build hook for the course kit: the wheel of after_mosul carries the course's own files.

A wheel built from this folder (``make kit``) holds, under ``after_mosul/kit/``, the
data package, the article and the quizzes, laid out as in the repository, so a
notebook downloaded alone runs once the wheel is installed (after_mosul/paths.py
looks there first). An editable install reads the clone's folders instead.

Every install (the kit, an editable one, Binder's, the hub's) also puts the course's
JupyterLab and Notebook 7 defaults into the environment's
``etc/jupyter/labconfig/default_setting_overrides.d/after_mosul.json``: no "Get notified
about official Jupyter news?" prompt over a notebook on the projector, and no check for
updates (the classroom's JupyterLab is the pinned one).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
KIT_FILES = {  # folder -> file patterns copied into after_mosul/kit/<folder>/
    "data": ["*.csv", "*.json", "*.geojson"],
    "seeds": ["*.txt", "README.md"],
    "chapters/quizzes": ["*.yml"],
    ".": ["LICENSE", "LICENSE-CONTENT.md"],
}


class BuildWithKit(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "after_mosul" / "kit"
        shutil.rmtree(target, ignore_errors=True)
        for folder, patterns in KIT_FILES.items():
            for pattern in patterns:
                for source in sorted((ROOT / folder).glob(pattern)):
                    destination = target / folder / source.name
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, destination)


JUPYTER_DEFAULTS = "jupyter-config/labconfig/default_setting_overrides.d/after_mosul.json"

setup(
    cmdclass={"build_py": BuildWithKit},
    data_files=[("etc/jupyter/labconfig/default_setting_overrides.d", [JUPYTER_DEFAULTS])],
)
