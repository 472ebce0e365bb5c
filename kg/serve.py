"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint over a build's store, and its explorer.

    GET  /sparql?query=...                 a query in the URL
    POST /sparql                           a query as application/sparql-query, or form-encoded query=...
    update=... or application/sparql-update   refused with 403: the endpoint is read-only
    GET  /                                 DIR/explorer.html, or a page saying how to build it

SELECT and ASK answers come as SPARQL results JSON (the default), XML, CSV or TSV;
CONSTRUCT and DESCRIBE as Turtle (the default), JSON-LD, N-Triples or RDF/XML, chosen
by the Accept header or a ``format=`` (or ``output=``) parameter. default-graph-uri and
named-graph-uri narrow the dataset; without them the default graph is the union of all
graphs. Each query has a time limit (503 past it) and a row limit (the answer is cut,
and says so in an ``X-Truncated`` header). A repeated query is answered from a small
cache, kept per store snapshot.

What it refuses, and why (a browser on the same machine can reach it, and so can any
page that browser opens):

- SERVICE (400): federation would make the store fetch any address it is given,
  the machine's own loopback services included (server-side request forgery).
- A query past its time limit is stopped, not only answered with 503: queries on a
  build's own store run in worker processes (kg.query_pool), and a late one is killed.
- Other origins: no CORS header unless ``cors_origins`` names them (``kg serve --cors``);
  a request whose Host header is not this loopback address is refused (421) when
  listening on loopback, which stops DNS rebinding.
- Every answer says ``X-Content-Type-Options: nosniff`` and carries a
  Content-Security-Policy, so an answer holding scraped text is never run as a page.

Built on the standard library's ThreadingHTTPServer: a thread per connection, a
listen backlog deep enough for hundreds of clients at once, and a bounded number of
queries evaluating at once (the rest wait for a worker within their time limit). When
`kg build` switches the build to a new store, the next query opens it (kg.endpoint:
the store behind the endpoint, its reopening and its answer cache).
"""

from __future__ import annotations

import html
import ipaddress
import os
import re
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from kg.endpoint import DEFAULT_CACHE_BYTES, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, Endpoint
from kg.errors import KGError, QueryError, QueryTimeout, StoreError

__all__ = ["DEFAULT_CACHE_BYTES", "DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT", "Endpoint", "SparqlServer", "make_server",
           "serve"]

MAX_BODY = 1 << 20  # bytes of a POSTed query or form
DRAIN_LIMIT = 16 << 20  # a bigger body is read and dropped before the 413; beyond this the connection is cut
SHORT_FORMATS = {  # format=/output= values, each the media types it stands for (results, then graphs)
    "json": "application/sparql-results+json, application/ld+json",
    "xml": "application/sparql-results+xml, application/rdf+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "turtle": "text/turtle", "ttl": "text/turtle",
    "jsonld": "application/ld+json", "json-ld": "application/ld+json",
    "ntriples": "application/n-triples", "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml", "rdf+xml": "application/rdf+xml",
}
SECURITY = {  # on every response
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"  # the "no explorer" page
# The explorer states its own policy (script and style hashes) in a <meta>; the header repeats it.
_META_CSP = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="([^"<>]*)"', re.IGNORECASE)
NO_EXPLORER = """<!doctype html>
<html lang="en"><meta charset="utf-8"><title>militia-kg: no explorer yet</title>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>No explorer in this build yet</h1>
<p>There is no <code>explorer.html</code> in <code>{build}</code>. Build it with
<code>kg build INPUT --out {build}</code> (or <code>kg export html {build}</code>), then reload.</p>
<p>The SPARQL endpoint is at <a href="/sparql">/sparql</a>.</p>
</body></html>
"""


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: `serve_forever()` to run, `shutdown()` from another thread to stop."""

    daemon_threads = True
    block_on_close = False  # keeps no list of the handler threads (reaped on every connection) to join at close
    allow_reuse_address = True
    request_queue_size = 1024  # pending connections the kernel holds (capped by net.core.somaxconn)

    def __init__(self, address: tuple[str, int], endpoint: Endpoint, *, quiet: bool = False,
                 cors_origins: tuple[str, ...] = ()):
        self.endpoint = endpoint
        self.quiet = quiet
        self.cors_origins = tuple(cors_origins)
        super().__init__(address, _Handler)
        self.hosts = _loopback_hosts(self.server_address)

    def server_close(self) -> None:
        super().server_close()
        self.endpoint.close()

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the client went away mid-answer: nothing to tell anyone
        super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/sparql"


def make_server(build_dir: str | os.PathLike, host: str = "127.0.0.1", port: int = 7878, *,
                timeout: float | None = DEFAULT_TIMEOUT, max_rows: int | None = DEFAULT_MAX_ROWS,
                max_running: int | None = None, cache_bytes: int = DEFAULT_CACHE_BYTES,
                quiet: bool = False, cors_origins: tuple[str, ...] = ()) -> SparqlServer:
    """A SPARQL endpoint over the build in `build_dir`, bound to `host`:`port` (0 picks a free port).

    Parameters
    ----------
    timeout : float or None
        Seconds a query may run before it is answered with 503.
    max_rows : int or None
        Rows (or triples) an answer holds at most.
    max_running : int, optional
        Queries evaluated at once (default: twice the CPUs, at least 4).
    cache_bytes : int
        Room for answers kept to serve a repeated query again (0: no cache).
    quiet : bool
        Do not log each request to stderr.
    cors_origins : tuple of str
        Web origins (``https://example.org``) whose pages may read the answers; ``"*"`` for any.
        None by default: a page the analyst's browser opens cannot read the graph.

    Raises
    ------
    StoreError
        `build_dir` holds no store, or the address cannot be bound.

    Examples
    --------
    >>> make_server("/nonexistent", port=0)
    Traceback (most recent call last):
    ...
    kg.errors.StoreError: /nonexistent is not a militia-kg build (no store); run `kg build INPUT --out /nonexistent`
    """
    endpoint = Endpoint(build_dir, timeout=timeout, max_rows=max_rows, max_running=max_running,
                        cache_bytes=cache_bytes)
    try:
        return SparqlServer((host, port), endpoint, quiet=quiet, cors_origins=cors_origins)
    except OSError as error:
        endpoint.close()
        raise StoreError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


def serve(build_dir: str | os.PathLike, host: str = "127.0.0.1", port: int = 7878, **options) -> None:
    """Run the endpoint until interrupted (Ctrl-C). Options as for `make_server`."""
    server = make_server(build_dir, host, port, **options)
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


def _loopback_hosts(address: tuple) -> frozenset[str] | None:
    """The Host header values a server listening on loopback answers to, or None (any) elsewhere."""
    host, port = address[:2]
    try:
        if not ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        return None
    names = {"localhost", "127.0.0.1", "[::1]", f"[{host}]" if ":" in host else host}
    return frozenset({*names, *(f"{name}:{port}" for name in names)})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every reply carries Content-Length
    server_version = "militia-kg"
    timeout = 60  # seconds an idle kept-alive connection is held
    disable_nagle_algorithm = True  # else a reply's last segment can wait 40 ms for the client's delayed ACK
    server: SparqlServer

    # ------------------------------------------------------------ verbs

    def do_OPTIONS(self) -> None:  # noqa: N802 (http.server's naming)
        if not self._host_ok():
            return
        headers = {"Allow": "GET, POST, OPTIONS"}
        if self._cors():
            headers.update({"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                            "Access-Control-Allow-Headers": "Content-Type, Accept",
                            "Access-Control-Max-Age": "86400"})
        self._reply(HTTPStatus.NO_CONTENT, b"", None, headers)

    def do_GET(self) -> None:  # noqa: N802
        if not self._host_ok():
            return
        url = urlsplit(self.path)
        if url.path in ("/", "/index.html", "/explorer.html"):
            return self._explorer()
        if url.path != "/sparql":
            return self._fail(HTTPStatus.NOT_FOUND, f"nothing at {url.path}; the SPARQL endpoint is /sparql")
        self._sparql(parse_qs(url.query, keep_blank_values=True), None)

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        body = self._read_body()
        if body is None or not self._host_ok():
            return
        if url.path != "/sparql":
            return self._fail(HTTPStatus.NOT_FOUND, f"nothing at {url.path}; the SPARQL endpoint is /sparql")
        form = parse_qs(url.query, keep_blank_values=True)
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media == "application/sparql-update":
            return self._fail(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is refused")
        if media == "application/sparql-query":
            text = self._text(body)
            return None if text is None else self._sparql(form, text)
        if media == "application/x-www-form-urlencoded":
            text = self._text(body)
            if text is None:
                return
            for key, values in parse_qs(text, keep_blank_values=True).items():
                form.setdefault(key, []).extend(values)
            return self._sparql(form, None)
        self._fail(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                   "POST a query as application/sparql-query or application/x-www-form-urlencoded")

    # ------------------------------------------------------------ the protocol

    def _sparql(self, form: dict[str, list[str]], body_query: str | None) -> None:
        if "update" in form:
            return self._fail(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is refused")
        queries = ([body_query] if body_query is not None else []) + form.get("query", [])
        if len(queries) != 1:
            problem = "no query given" if not queries else "more than one query given"
            return self._fail(HTTPStatus.BAD_REQUEST, f"{problem}; send one as ?query=... or POST it")
        try:
            answer = self.server.endpoint.answer(
                queries[0], accept=self._accept(form),
                default_graphs=form.get("default-graph-uri"), named_graphs=form.get("named-graph-uri"))
        except QueryTimeout as error:
            return self._fail(HTTPStatus.SERVICE_UNAVAILABLE, str(error))
        except QueryError as error:
            return self._fail(HTTPStatus.BAD_REQUEST, str(error))
        except KGError as error:
            return self._fail(HTTPStatus.INTERNAL_SERVER_ERROR, str(error))
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers["X-Truncated"] = f"max-rows={self.server.endpoint.max_rows}"
        self._reply(HTTPStatus.OK, answer.body, answer.media_type, headers)

    def _accept(self, form: dict[str, list[str]]) -> str:
        """The Accept header, unless format= or output= names a format."""
        named = [value.strip().lower() for key in ("format", "output") for value in form.get(key, [])]
        wanted = [SHORT_FORMATS.get(value, value) for value in named if value in SHORT_FORMATS or "/" in value]
        return ", ".join(wanted) if wanted else (self.headers.get("Accept") or "*/*")

    def _explorer(self) -> None:
        page = self.server.endpoint.explorer()
        if page is None:
            build = str(self.server.endpoint.build_dir).replace("&", "&amp;").replace("<", "&lt;")
            return self._reply(HTTPStatus.NOT_FOUND, NO_EXPLORER.format(build=build).encode(),
                               "text/html; charset=utf-8", {"Content-Security-Policy": PAGE_CSP})
        stated = _META_CSP.search(page[:8192])
        policy = (re.sub(r"[^\x20-\x7e]", " ", html.unescape(stated.group(1).decode("ascii", "replace")))
                  if stated else "base-uri 'none'; form-action 'none'")
        self._reply(HTTPStatus.OK, page, "text/html; charset=utf-8",
                    {"Content-Security-Policy": f"{policy}; frame-ancestors 'none'"})

    # ------------------------------------------------------------ plumbing

    def _read_body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked" or length is None:
            self._fail(HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length", close=True)
            return None
        try:
            size = int(length)
        except ValueError:
            size = -1
        if not 0 <= size <= MAX_BODY:
            remaining = size if size <= DRAIN_LIMIT else 0
            while remaining > 0:  # read what the client is sending, so that it hears the answer
                chunk = self.rfile.read(min(1 << 16, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)
            self._fail(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a request body is at most {MAX_BODY} bytes", close=True)
            return None
        return self.rfile.read(size)

    def _host_ok(self) -> bool:
        """On loopback, only requests addressed to loopback: a page of another site whose name was
        made to point at 127.0.0.1 (DNS rebinding) sends its own name as Host."""
        allowed = self.server.hosts
        host = (self.headers.get("Host") or "").strip().lower()
        if allowed is None or host in allowed:
            return True
        self._fail(HTTPStatus.MISDIRECTED_REQUEST, "this endpoint answers requests for localhost only", close=True)
        return False

    def _cors(self) -> dict[str, str]:
        """The CORS headers for this request's Origin: none unless the server was told to allow it."""
        allowed = self.server.cors_origins
        origin = self.headers.get("Origin")
        if "*" in allowed:
            return {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "X-Truncated, Content-Type"}
        if origin and origin in allowed:
            return {"Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": "X-Truncated, Content-Type",
                    "Vary": "Origin"}
        return {}

    def _text(self, body: bytes) -> str | None:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            self._fail(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8")
            return None

    def _fail(self, status: HTTPStatus, message: str, *, close: bool = False) -> None:
        self._reply(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8",
                    {"Connection": "close"} if close else None)
        if close:
            self.close_connection = True

    def _reply(self, status: HTTPStatus, body: bytes, media_type: str | None,
               headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if media_type:
            self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        cors, headers = self._cors(), dict(headers or {})
        if "Vary" in cors and "Vary" in headers:
            headers["Vary"] = f"{headers['Vary']}, {cors.pop('Vary')}"
        for key, value in {**SECURITY, **cors, **headers}.items():
            self.send_header(key, value)
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (http.server's signature)
        if not self.server.quiet:
            super().log_message(format, *args)
