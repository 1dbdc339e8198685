"""One stylesheet instead of a chain: the book's CSS files joined into one file (issue 13).

A page used to load nine render-blocking stylesheets, one of them through an ``@import``
(theme.css -> basic.css), which costs a round trip before the first paint. The files
are joined in the order the page listed them; each is parsed by tinycss2 (a CSS
tokenizer, pinned), so relative ``url()``s are rewritten for the bundle's folder, an
``@import`` is replaced by the file it names and ``@charset`` rules are dropped
(the bundle is UTF-8 and says so once).
"""

from __future__ import annotations

import hashlib
import posixpath
from pathlib import Path

import tinycss2
from tinycss2.serializer import serialize_string_value, serialize_url

HEADER = "/* The book's stylesheets in one file (book/css_bundle.py): {sources} */\n"


def bundle_name(folder: str, sources: list[str]) -> str:
    """The bundle's path for this list of stylesheets: one file per distinct list."""
    digest = hashlib.sha256("\n".join(sources).encode("utf-8")).hexdigest()[:10]
    return f"{folder}/course-{digest}.css"


def sources_of(bundle: Path) -> list[str]:
    """The stylesheets a bundle was made from, as its second line (after @charset) names them."""
    first = (bundle.read_text(encoding="utf-8").split("\n", 2) + [""])[1]
    prefix, suffix = HEADER.rstrip("\n").split("{sources}")
    if not (first.startswith(prefix) and first.endswith(suffix)):
        raise ValueError(f"{bundle} is not a stylesheet bundle")
    return first[len(prefix):-len(suffix)].split(", ")


def _relocate(url: str, source_dir: str, target_dir: str) -> str:
    if not url or url.startswith(("#", "/", "data:")) or "://" in url:
        return url
    path, _, query = url.partition("?")
    moved = posixpath.relpath(posixpath.normpath(posixpath.join(source_dir, path)), target_dir)
    return moved + (f"?{query}" if query else "")


def _rewrite_urls(nodes: list, source_dir: str, target_dir: str) -> None:
    for node in nodes or []:
        if node.type == "url":
            node.value = _relocate(node.value, source_dir, target_dir)
            node.representation = f"url({serialize_url(node.value)})"
        elif node.type == "function" and node.lower_name == "url":
            for arg in node.arguments:
                if arg.type == "string":
                    arg.value = _relocate(arg.value, source_dir, target_dir)
                    arg.representation = serialize_string_value(arg.value).join('""')
        for attribute in ("prelude", "content", "arguments"):
            children = getattr(node, attribute, None)
            if isinstance(children, list):
                _rewrite_urls(children, source_dir, target_dir)


def _import_target(rule) -> str | None:
    values = [t for t in rule.prelude if t.type not in ("whitespace", "comment")]
    if len(values) != 1:
        raise ValueError(f"@import with a condition is not supported: {tinycss2.serialize(rule.prelude)}")
    token = values[0]
    if token.type == "url" or token.type == "string":
        return token.value
    if token.type == "function" and token.lower_name == "url":
        return next(a.value for a in token.arguments if a.type == "string")
    raise ValueError(f"unreadable @import: {tinycss2.serialize(rule.prelude)}")


def stylesheet(root: Path, source: str, target_dir: str, seen: frozenset = frozenset()) -> str:
    """``root/source`` as CSS valid in ``target_dir`` (both relative to ``root``), imports inlined."""
    if source in seen:
        raise ValueError(f"{source} imports itself")
    text = (root / source).read_text(encoding="utf-8")
    rules = tinycss2.parse_stylesheet(text, skip_comments=False, skip_whitespace=False)
    source_dir = posixpath.dirname(source)
    parts = []
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == "charset":
            continue
        if rule.type == "at-rule" and rule.lower_at_keyword == "import":
            imported = posixpath.normpath(posixpath.join(source_dir, _import_target(rule)))
            parts.append(stylesheet(root, imported, target_dir, seen | {source}))
            continue
        _rewrite_urls([rule], source_dir, target_dir)
        parts.append(rule.serialize())
    return "".join(parts)


def without_header(css: str) -> str:
    """A bundle's CSS without its first lines (``@charset`` and the list of sources)."""
    lines = css.split("\n", 2)
    if len(lines) == 3 and lines[0].startswith("@charset") and lines[1].startswith(HEADER.split("{")[0]):
        return lines[2]
    return css


def write_bundle(root: Path, target: str, sources: list[str], contents: bool = True, body: str = "") -> Path:
    """Join ``sources`` (paths under ``root``, in cascade order) into ``root/target``.

    With ``contents=False`` the first lines, which name the sources, are followed by ``body``.
    """
    target_dir = posixpath.dirname(target)
    if contents:
        body = "\n".join(f"/* {s} */\n" + stylesheet(root, s, target_dir) for s in sources)
    path = root / target
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('@charset "UTF-8";\n' + HEADER.format(sources=", ".join(sources)) + body, encoding="utf-8")
    return path
