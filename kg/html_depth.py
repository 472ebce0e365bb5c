"""A cap on how deeply an HTML page's elements nest, applied before the page is parsed into a tree.

BeautifulSoup builds its tree in time that grows with the nesting depth at every
misnested tag (it re-links the last descendant), so a page of ``<div>`` nested 20,000
deep, or a megabyte of tags that are opened and never closed, took minutes. Browsers
cap the depth of the tree their parser builds (Chromium at 512), and so does this
module: elements nested deeper than `MAX_DEPTH` lose their tags and keep their text (a
block element leaves a line break), so the text is all there and the cost is linear.

Pages are first measured by a quick scan of their tags; only a page that may nest
deeper than the cap is rewritten, by one pass of the standard library's tokenizer.

>>> capped = cap_depth("<div>" * 600 + "deep text" + "</div>" * 600)
>>> capped.count("<div>"), "deep text" in capped
(512, True)
>>> cap_depth("<p>a shallow page</p>")
'<p>a shallow page</p>'
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["MAX_DEPTH", "cap_depth"]

MAX_DEPTH = 512

# Elements that never hold others, and so never nest.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr", "keygen", "command", "basefont", "frame", "isindex"})
# A start tag of one of these closes an open element of a name on its right (HTML's implied end tags).
_CLOSES = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "tr": {"tr", "td", "th"}, "td": {"td", "th"},
           "th": {"td", "th"}, "option": {"option"}, "p": {"p"}}
_BLOCKS = frozenset({"p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
                     "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table", "caption", "tr", "td", "th",
                     "address", "details", "summary", "footer", "nav", "aside", "figure", "form"})
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)")


def cap_depth(html: str, max_depth: int = MAX_DEPTH) -> str:
    """`html` with elements nested deeper than `max_depth` unwrapped; unchanged when it cannot be that deep."""
    if _rough_depth(html) <= max_depth:
        return html
    capper = _Capper(max_depth)
    capper.feed(html)
    capper.close()
    return "".join(capper.out)


def _rough_depth(html: str) -> int:
    """An upper bound, near enough, of how deep the tags of `html` nest (unclosed <p> and <li> count)."""
    depth = peak = 0
    for match in _TAG.finditer(html):
        name = match.group(2).lower()
        if name in _VOID:
            continue
        if match.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            peak = max(peak, depth)
    return peak


class _Capper(HTMLParser):
    """Writes the page back as it came, but for the tags of elements nested deeper than the cap."""

    def __init__(self, max_depth: int):
        super().__init__(convert_charrefs=False)  # entities go through as written
        self.max_depth = max_depth
        self.out: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (name, written) of each element open now

    def handle_starttag(self, tag: str, attrs) -> None:
        raw = self.get_starttag_text() or f"<{tag}>"
        if tag in _VOID:
            self.out.append(raw)
            return
        closes = _CLOSES.get(tag)
        if closes and self.open and self.open[-1][0] in closes:
            self._pop_to(len(self.open) - 1)
        elif tag in _BLOCKS and self.open and self.open[-1][0] == "p":
            self._pop_to(len(self.open) - 1)
        written = len(self.open) < self.max_depth
        self.out.append(raw if written else "<br>" if tag in _BLOCKS else "")
        self.open.append((tag, written))

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.out.append(self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                self._pop_to(index)
                return
        self.out.append(f"</{tag}>")  # matches nothing open: the tree builder will drop it

    def _pop_to(self, index: int) -> None:
        """Close the elements open from `index` up, writing the end tag of those whose start was written."""
        while len(self.open) > index:
            name, written = self.open.pop()
            self.out.append(f"</{name}>" if written else "<br>" if name in _BLOCKS else "")

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")
