"""Text on its way into HTML the package shows in a notebook: escaped, and never typeset as maths.

JupyterLab and Notebook 7 run MathJax over HTML outputs as well as Markdown: two
``$`` in one output ("$500 million of about $1 billion") become italic maths. So
every piece of text the package puts into HTML (check feedback, quizzes, reference
lists) passes through ``text``, which escapes it and writes each ``$`` as
``<span>&#36;</span>``: MathJax never pairs delimiters across element boundaries,
and every front end shows ``$``. The outer element of each output also carries
``NO_MATHS``, the classes MathJax 2 (``tex2jax_ignore``) and MathJax 3
(``mathjax_ignore``) skip.
"""

from __future__ import annotations

import html

NO_MATHS = "tex2jax_ignore mathjax_ignore"
DOLLAR = "<span>&#36;</span>"


def text(value, quote: bool = True) -> str:
    """``value`` as HTML text: escaped, each ``$`` in its own element."""
    return html.escape(str(value), quote=quote).replace("$", DOLLAR)


def attribute(value) -> str:
    """``value`` escaped for a quoted HTML attribute (a ``$`` there is never typeset)."""
    return html.escape(str(value), quote=True)
