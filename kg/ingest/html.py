"""An HTML page -> its article text, title, publication day and URL, with the page chrome dropped.

    read_page(html)  an HtmlPage: the text of the page's articles (or <main>, or <body>) and its metadata

Which elements are chrome (scripts, navigation, forms, figures, credits) is data: ontology/furniture.toml.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, CData, NavigableString, Tag

from kg.html_depth import cap_depth
from kg.ingest.characters import one_line
from kg.ingest.dates import iso_day
from kg.ingest.furniture import Furniture, furniture
from kg.titles import best_title

__all__ = ["HtmlPage", "read_page"]

_BLOCK_TAGS = [
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "dl", "dt", "dd", "blockquote", "pre", "table", "caption", "tr", "td", "th", "hr", "address", "details",
    "summary",
]  # fmt: skip
_BLOCK_TAG_SET = frozenset(_BLOCK_TAGS)
_DATE_META = {"article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate", "date",
              "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date"}  # fmt: skip


@dataclass(frozen=True)
class HtmlPage:
    """What a page says: its text (blank lines between blocks, not yet cleaned) and its metadata."""

    text: str
    title: str
    date: str | None
    url: str


def read_page(html: str) -> HtmlPage:
    """The text and metadata of an HTML page; a page nested 20,000 deep costs what a flat one does.

    >>> read_page("<title>Rockets hit base | Example</title><nav>Home</nav><p>Three rockets fell.</p>")
    HtmlPage(text='\\n\\nThree rockets fell.\\n\\n', title='Rockets hit base', date=None, url='')
    """
    soup = BeautifulSoup(cap_depth(html), "lxml")
    date, url = _html_date(soup), _html_url(soup)  # before the chrome goes: JSON-LD sits in a <script>
    _drop_page_chrome(soup, furniture())
    roots = _content_roots(soup)
    title = _html_title(soup, roots)
    return HtmlPage("\n\n".join(_block_text(root) for root in roots), title, date, url)


def _html_title(soup: BeautifulSoup, roots: list) -> str:
    """og:title, else the content's first <h1>, else <title> without its site name; never an advert or banner."""
    og = soup.find("meta", attrs={"property": "og:title"})
    h1 = next((tag for root in roots for tag in root.find_all("h1", limit=1)), None)
    candidates = (og and og.get("content"), h1 and h1.get_text(" "), soup.title and soup.title.get_text())
    return best_title(one_line(c) for c in candidates if isinstance(c, str))


def _html_url(soup: BeautifulSoup) -> str:
    canonical = soup.find("link", attrs={"rel": "canonical"}) or soup.find("meta", attrs={"property": "og:url"})
    value = canonical and (canonical.get("href") or canonical.get("content"))
    return value if isinstance(value, str) else ""


def _html_date(soup: BeautifulSoup) -> str | None:
    """Publication day from <meta>, the first <time datetime>, or JSON-LD datePublished."""
    candidates: list[object] = []
    for meta in soup.find_all("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        if isinstance(key, str) and key.lower() in _DATE_META:
            candidates.append(meta.get("content"))
    time = soup.find("time", attrs={"datetime": True})
    if time:
        candidates.append(time.get("datetime"))
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        candidates.append(_json_ld_date(script.get_text()))
    for candidate in candidates:
        day = iso_day(candidate) if isinstance(candidate, str) else None
        if day:
            return day
    return None


def _json_ld_date(text: str) -> str | None:
    try:
        pending = [json.loads(text)]
    except (ValueError, RecursionError):
        return None
    while pending:  # a loop, not recursion: JSON-LD nests @graph lists of objects
        item = pending.pop(0)
        if isinstance(item, dict):
            if isinstance(item.get("datePublished"), str):
                return item["datePublished"]
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return None


def _drop_page_chrome(soup: BeautifulSoup, furniture: Furniture) -> None:
    """Remove scripts, navigation, forms, figures and credits; keep an article's own <header>."""
    for tag in soup.find_all(list(furniture.chrome_tags)):
        tag.decompose()
    for tag in _outermost(soup, "header", skip="article"):
        tag.decompose()
    for selector in furniture.chrome_selectors:
        for tag in soup.select(selector):
            tag.decompose()


def _content_roots(soup: BeautifulSoup) -> list:
    """The outermost <article> elements (a forum page has one per post), else <main>, else <body>."""
    articles = _outermost(soup, "article")
    if articles:
        return articles
    return [soup.find("main") or soup.body or soup]


def _outermost(root, name: str, *, skip: str | None = None) -> list:
    """The `name` elements under `root` that have no `name` (nor `skip`) element above them, in order.

    One walk over the tree with a stack, never up from each element: a page of elements
    nested thousands deep costs as much as a flat one of the same size.
    """
    found, stack = [], list(reversed(root.contents))
    while stack:
        node = stack.pop()
        if not isinstance(node, Tag) or node.name == skip:
            continue
        if node.name == name:
            found.append(node)
        else:
            stack.extend(reversed(node.contents))
    return found


def _block_text(root) -> str:
    """Text of an element: source whitespace collapsed (not in <pre>), blank lines around block
    elements, <br> as a newline.

    Written in one walk with a stack, not by inserting line breaks into the tree (which bs4
    does in time proportional to the depth, so a page nested 20,000 deep took minutes).
    """
    parts: list[str] = []
    stack: list = [root]
    in_pre = 0 if root.find_parent("pre") is None else 1  # an <article> inside a <pre> keeps its spaces
    while stack:
        node = stack.pop()
        if node is _LEAVE_BLOCK:
            parts.append("\n\n")
        elif node is _LEAVE_PRE:
            in_pre -= 1
        elif isinstance(node, Tag):
            if node.name == "br":
                parts.append("\n")
                continue
            if node.name in _BLOCK_TAG_SET and node is not root:
                parts.append("\n\n")
                stack.append(_LEAVE_BLOCK)
            if node.name == "pre":
                in_pre += 1
                stack.append(_LEAVE_PRE)
            stack.extend(reversed(node.contents))
        elif type(node) is NavigableString:  # comments, doctypes, scripts are subclasses get_text skips
            parts.append(str(node) if in_pre else _SPACE_RUN.sub(" ", node))
        elif type(node) is CData:
            parts.append(str(node))
    return "".join(parts)


_LEAVE_BLOCK, _LEAVE_PRE = object(), object()  # markers on _block_text's stack: an element ends here
_SPACE_RUN = re.compile(r"\s+")
