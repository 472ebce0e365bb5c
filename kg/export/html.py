"""The interactive HTML explorer: one self-contained page over a resolved `Graph`.

`explorer_html` returns the page and `write_explorer` writes it. The page carries its own copy of
vis-network (read at render time from the build that pyvis ships), its own CSS and script, and the
graph as a JSON data block, so it opens from file:// with no network. This is the only module that
imports pyvis, and it does so lazily.

Safety: text from the documents is data, never markup. It travels in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` written as ``\\u003c``,
``\\u003e`` and ``\\u0026``; the page builds its DOM with ``textContent``, gives vis-network
plain-text titles, and a Content-Security-Policy lets only the page's own two scripts (by hash) run.

What the page shows first: the `FIRST_VIEW` most connected entities, fitted so that labels read;
entities with no relation wait behind a toggle, the rest behind "show more", "show all", search
and "expand". An ego page (`focus`) shows the focus and its neighbourhood, fitted whole.

Scale: up to `PHYSICS_LIMIT` entities, vis-network's physics settles a layout computed in
`kg.export.explorer.layout` and is then switched off; above it, physics stays off and the
precomputed layout is final, edges are straight and unlabelled. The data block is built by
`kg.export.explorer.payload`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import pathlib
import re
from functools import lru_cache
from importlib import resources

from kg.atomic import write_text_atomically
from kg.export.explorer.map_payload import map_payload
from kg.export.explorer.payload import EGO_LIMIT, FIRST_VIEW, PHYSICS_LIMIT, VIS_VERSION, find_entity, payload
from kg.model import Graph

__all__ = ["EGO_LIMIT", "FIRST_VIEW", "PHYSICS_LIMIT", "explorer_html", "write_explorer"]

DEFAULT_TITLE = "militia-kg explorer"
_TEMPLATE_DIR = "explorer"


def explorer_html(
    graph: Graph,
    *,
    focus: str | None = None,
    hops: int = 2,
    title: str = DEFAULT_TITLE,
) -> str:
    """Render `graph` as one self-contained, interactive HTML page.

    Parameters
    ----------
    graph : kg.model.Graph
        The resolved graph: entities, relations with evidence, attacks and documents.
    focus : str, optional
        An entity's id, QID, name or alias in any spelling `kg.names.NameIndex` resolves (as
        the CLI does). The page then shows only the ego graph of that entity, `hops` steps
        out, fitted to the window, with the entity selected.
    hops : int
        How far the ego graph reaches from `focus`. Ignored without `focus`.
    title : str
        The page title.

    Returns
    -------
    str
        The page. It needs no network: vis-network, CSS, script and data are all inline.

    Raises
    ------
    kg.errors.NoSuchEntity
        When `focus` names no entity; its `suggestions` hold close names.
    ValueError
        When `hops` is negative.

    Examples
    --------
    >>> from kg.model import Graph, Entity
    >>> g = Graph(entities={"iran": Entity("iran", "Iran", "State", qid="Q794")})
    >>> page = explorer_html(g, title="Iran")
    >>> page.startswith("<!DOCTYPE html>") and "<title>Iran</title>" in page
    True
    """
    if not isinstance(hops, int) or isinstance(hops, bool) or hops < 0:
        raise ValueError(f"hops must be a non-negative integer, not {hops!r}")
    focus_id = find_entity(graph, focus) if focus is not None else None
    data = payload(graph, focus_id=focus_id, hops=hops, title=title)
    data["map"] = map_payload(graph, data["nodes"])
    return _render(data, title=title)


def write_explorer(
    graph: Graph,
    path: str | os.PathLike[str],
    *,
    focus: str | None = None,
    hops: int = 2,
    title: str = DEFAULT_TITLE,
) -> pathlib.Path:
    """Write the explorer page for `graph` to `path` (UTF-8) and return the path.

    The folder is created if needed; the page is written under a temporary name and renamed
    into place. See `explorer_html` for the parameters and errors.
    """
    page = explorer_html(graph, focus=focus, hops=hops, title=title)
    return write_text_atomically(path, page)  # a reader, or a kill half-way, never sees half a page


# ---------------------------------------------------------------- page


def _script_json(data: dict) -> str:
    """JSON that cannot close its <script> block or start markup: <, >, & as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _inline_script(code: str) -> str:
    """`code` made safe to sit between <script> and </script>."""
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


def _csp_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


@lru_cache(maxsize=1)
def _vis_network_js() -> str:
    """vis-network's standalone build, read from the copy inside the pyvis package."""
    import pyvis

    asset = resources.files(pyvis).joinpath("lib", f"vis-{VIS_VERSION}", "vis-network.min.js")
    return _inline_script(asset.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _assets() -> tuple[object, str, str, str]:
    import jinja2

    folder = resources.files("kg.export").joinpath(_TEMPLATE_DIR)
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(folder.joinpath("template.html").read_text(encoding="utf-8"))
    app_js = _inline_script(folder.joinpath("app.js").read_text(encoding="utf-8"))
    map_js = _inline_script(folder.joinpath("map.js").read_text(encoding="utf-8"))
    css = folder.joinpath("app.css").read_text(encoding="utf-8").replace("</", "<\\/")
    return template, app_js, map_js, css


def _render(data: dict, *, title: str) -> str:
    from markupsafe import Markup

    template, app_js, map_js, css = _assets()
    vis_js = _vis_network_js()
    csp = "; ".join(
        (
            "default-src 'none'",
            f"script-src {_csp_hash(vis_js)} {_csp_hash(app_js)} {_csp_hash(map_js)}",
            f"style-src {_csp_hash(css)}",
            "connect-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )
    return template.render(
        title=title,
        csp=csp,
        css=Markup(css),
        vis_js=Markup(vis_js),
        app_js=Markup(app_js),
        map_js=Markup(map_js),
        data_json=Markup(_script_json(data)),
    )
