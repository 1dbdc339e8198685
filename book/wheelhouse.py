"""A wheelhouse: every wheel the course kit and Jupyter need, for a classroom without internet.

    make wheelhouse                                # _build/wheelhouse/, every platform below
    .venv/bin/python -m book.wheelhouse --out DIR [--here]

Installing the kit downloads pandas, numpy, folium, ipykernel and the rest from the Python
Package Index; with JupyterLab and Notebook 7 that is about 430 MB of environment. An
instructor runs this once where there is internet, copies the folder to a USB stick, and
each student installs from it with no network (pages/setup.md, "In a room without internet"):

    python -m pip install --no-index --find-links WHEELHOUSE after_mosul jupyterlab notebook

Every wheel is pip's own choice for that platform and Python (``pip download --only-binary
:all: --platform ... --python-version ...``), at the versions constraints.txt pins, so the
classroom gets what the project tests. ``--here`` gathers only this machine's platform and
Python (the test does that: tests/integration/test_wheelhouse.py).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from after_mosul.paths import PROJECT_ROOT as ROOT

# The Pythons the set-up page supports ("Python 3.11 or newer"), up to the newest the pins have wheels for.
PYTHONS = ("3.11", "3.12", "3.13")
# platform -> the wheel tags pip may take for it (newest first; pip also accepts older macOS versions)
PLATFORMS = {
    "Linux (x86-64)": ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"),
    "Linux (ARM 64)": ("manylinux_2_28_aarch64", "manylinux_2_17_aarch64", "manylinux2014_aarch64"),
    "macOS (Apple silicon)": ("macosx_14_0_arm64", "macosx_11_0_arm64"),
    "macOS (Intel)": ("macosx_13_0_x86_64", "macosx_10_13_x86_64", "macosx_10_9_x86_64"),
    "Windows (64-bit)": ("win_amd64",),
}
JUPYTER = ("jupyterlab", "notebook")  # the front ends the set-up page installs
# pip evaluates environment markers (sys_platform, os_name) for the machine it runs on, not for --platform, so
# dependencies only Windows or macOS pull in are named here: jupyter_core's pywin32, jupyter_server's and
# terminado's pywinpty, IPython's colorama; ipykernel's appnope.
PLATFORM_EXTRAS = {"Windows": ("pywin32", "pywinpty", "colorama"), "macOS": ("appnope",)}
KIT_DIR = ROOT / "_extra" / "kit"
DEFAULT_OUT = ROOT / "_build" / "wheelhouse"


def kit_wheel() -> Path:
    wheels = sorted(KIT_DIR.glob("after_mosul-*-py3-none-any.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"Expected one course kit in {KIT_DIR}, found {len(wheels)}: run `make kit` first.")
    return wheels[0]


# Pins left out, as for the class hub's environment (Makefile): soupsieve 4 needs Python 3.11.5, and a student's
# Python 3.11 may be older (Debian 12's is 3.11.2); pip then takes soupsieve 2.x (nbconvert's HTML clean-up only).
UNPINNED = ("soupsieve",)
# Pins with no wheel for a platform: pip takes the newest version that has one. argon2-cffi-bindings 26 has
# no wheel for Intel Macs (21.2.0 has).
UNPINNED_ON = {"macosx_13_0_x86_64": ("argon2-cffi-bindings",)}


def constraints(out: Path, platforms: tuple[str, ...] | None = None) -> Path:
    """constraints.txt without the UNPINNED packages (and those of ``platforms``), next to the wheelhouse."""
    names = UNPINNED + UNPINNED_ON.get((platforms or ("",))[0], ())
    lines = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.lower().startswith(tuple(f"{name}==" for name in names))]
    path = out.parent / f"{out.name}-constraints.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(kept), encoding="utf-8")
    return path


def download_command(out: Path, python: str | None, platforms: tuple[str, ...] | None) -> list[str]:
    """``pip download`` of the kit and Jupyter for one Python and platform (None: this machine's)."""
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
               "--only-binary", ":all:", "--dest", str(out), "-c", str(constraints(out, platforms))]
    if python is not None:
        command += ["--python-version", python, "--implementation", "cp"]
    for tag in platforms or ():
        command += ["--platform", tag]
    first = (platforms or ("",))[0]
    extras = PLATFORM_EXTRAS["Windows"] if first.startswith("win") else (
        PLATFORM_EXTRAS["macOS"] if first.startswith("macosx") else ())
    return command + [str(kit_wheel()), *JUPYTER, *extras]


def gather(out: Path, here: bool = False) -> list[Path]:
    """Fill ``out`` with the wheels for every platform and Python (or this machine's alone)."""
    out.mkdir(parents=True, exist_ok=True)
    targets = [(None, None)] if here else [(py, tags) for tags in PLATFORMS.values() for py in PYTHONS]
    for python, tags in targets:
        what = "this machine" if python is None else f"Python {python} on {tags[0]}"
        print(f"wheels for {what} ...", flush=True)
        subprocess.run(download_command(out, python, tags), check=True)
    shutil.copy2(kit_wheel(), out)
    return sorted(out.glob("*.whl"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--here", action="store_true", help=f"only this machine ({sysconfig.get_platform()})")
    args = parser.parse_args(argv)
    wheels = gather(args.out, args.here)
    size = sum(w.stat().st_size for w in wheels)
    print(f"{len(wheels)} wheels, {size / 1e6:,.0f} MB in {args.out}: copy the folder to a USB stick.")
    print(f"Install from it: python -m pip install --no-index --find-links {args.out.name} after_mosul "
          + " ".join(JUPYTER))
    return 0


if __name__ == "__main__":
    sys.exit(main())
