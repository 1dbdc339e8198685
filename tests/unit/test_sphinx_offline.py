"""The hidden-input toggle: myst-nb's own HTML, without the label that hides its visible words."""

from myst_nb.sphinx_ import visit_HideCellInput

from book import sphinx_offline

NODE = {"classes": ["tag_hide-input"], "prompt_show": "Show code cell source", "prompt_hide": "Hide code cell <source>"}


class Translator:
    def __init__(self):
        self.body = ["<p>before</p>"]


def rendered(visit) -> str:
    translator = Translator()
    visit(translator, NODE)
    return "".join(translator.body)


def test_myst_nb_still_writes_the_label_this_wrapper_removes():
    # when an upgrade of myst-nb drops the label, the wrapper (and this test) can go
    assert sphinx_offline.TOGGLE_LABEL in rendered(visit_HideCellInput)


def test_the_wrapper_writes_myst_nbs_html_without_the_label():
    ours = rendered(sphinx_offline.visit_hide_cell_input)
    assert sphinx_offline.TOGGLE_LABEL not in ours and "aria-label" not in ours
    assert ours == rendered(visit_HideCellInput).replace(sphinx_offline.TOGGLE_LABEL, "")
    assert ours.startswith("<p>before</p>") and "<summary>" in ours
    assert "Hide code cell &lt;source&gt;" in ours
