"""The id hooks: each patched upstream function still exists, ids depend on the seed only, originals come back."""

import hashlib
import importlib

import branca.element
import comm
import pytest

from after_mosul import determinism


@pytest.mark.parametrize("module, attribute", determinism.UPSTREAM)
def test_each_patched_upstream_function_still_exists(module, attribute):
    owner = importlib.import_module(module)
    *parents, name = attribute.split(".")
    for parent in parents:
        owner = getattr(owner, parent)
    assert name in vars(owner), f"{module}.{attribute} is gone: the ids in stored outputs would turn random"
    assert callable(getattr(owner, name))


def test_branca_ids_are_a_hash_of_the_seed_and_the_order():
    original = branca.element.Element.__dict__["_generate_id"]
    with determinism.branca_ids("map-x"):
        first, second = branca.element.Element(), branca.element.Element()
    assert first._id == hashlib.sha1(b"map-x:0").hexdigest()[:32]
    assert second._id == hashlib.sha1(b"map-x:1").hexdigest()[:32]
    assert branca.element.Element.__dict__["_generate_id"] is original
    assert branca.element.Element()._id != first._id


def test_widget_model_ids_count_from_the_prefix_and_the_original_comes_back():
    import ipywidgets

    original = comm.create_comm
    with determinism.widget_model_ids("quiz-x"):
        first, second = ipywidgets.HTML("a"), ipywidgets.HTML("b")
    assert comm.create_comm is original
    # each HTML widget opens its layout and style models first, then its own
    assert [first.layout.model_id, first.style.model_id, first.model_id] == ["quiz-x-0", "quiz-x-1", "quiz-x-2"]
    assert second.model_id == "quiz-x-5"
    assert not ipywidgets.HTML("c").model_id.startswith("quiz-x")
