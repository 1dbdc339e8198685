"""Fixed ids for the maps and quiz widgets, so the same input gives byte-identical outputs.

nbval compares stored outputs strictly and the book shows them, so a random id
would make every run differ. Two upstream functions draw random ids; each is
replaced here, only inside a ``with`` block, and put back afterwards:

* ``branca.element.Element._generate_id`` (private; folium/branca element
  names, ``map_3f2a...``) -> a hash of a seed and the creation order;
* ``comm.create_comm`` (ipywidgets' model ids) -> ``<prefix>-0``, ``<prefix>-1``, ...

``UPSTREAM`` names both targets; tests/unit/test_determinism.py checks that each
still exists, so an upgrade that renames one fails a test instead of making
the outputs random.
"""

from __future__ import annotations

import hashlib
import itertools
from contextlib import contextmanager

# (module, attribute path) of each function replaced here
UPSTREAM = (("branca.element", "Element._generate_id"), ("comm", "create_comm"))


@contextmanager
def branca_ids(seed: str):
    """Make branca/folium element ids a function of ``seed`` and creation order."""
    import branca.element

    counter = itertools.count()
    original = branca.element.Element.__dict__["_generate_id"]

    def _generate_id(cls) -> str:
        return hashlib.sha1(f"{seed}:{next(counter)}".encode()).hexdigest()[:32]

    branca.element.Element._generate_id = classmethod(_generate_id)
    try:
        yield
    finally:
        branca.element.Element._generate_id = original


@contextmanager
def widget_model_ids(prefix: str):
    """Give widgets created in this block the model ids prefix-0, prefix-1, ...

    ipywidgets otherwise draws a random id for every model (layouts and styles included).
    """
    import comm

    counter = itertools.count()
    original = comm.create_comm

    def create_comm(*args, **kwargs):
        kwargs.setdefault("comm_id", f"{prefix}-{next(counter)}")
        return original(*args, **kwargs)

    comm.create_comm = create_comm
    try:
        yield
    finally:
        comm.create_comm = original
