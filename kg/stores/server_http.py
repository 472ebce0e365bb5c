"""A SPARQL server's address and the HTTP under every request: sessions, authentication, errors.

`ServerEndpoint` says where a server answers queries and takes updates, and who we are
there: the user and password come from the URL or from the environment
(KG_STORE_USER, KG_STORE_PASSWORD), never from this code; HTTP basic or digest, as the
server asks (Virtuoso's -auth endpoints want digest). `ServerHttp._request` sends one
request and turns every failure into a one-line `StoreError`, `QueryError` or
`QueryTimeout`.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests

from kg.errors import QueryError, QueryTimeout, StoreError
from kg.stores.address import is_server_url

__all__ = ["ServerEndpoint", "ServerHttp"]


@dataclass(frozen=True)
class ServerEndpoint:
    """Where a SPARQL server answers queries, takes updates and keeps graphs, and who we are there.

    `from_url` fills in the update address by the common layouts.
    """

    query_url: str
    update_url: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def from_url(cls, url: str, *, update_url: str | None = None, user: str | None = None,
                 password: str | None = None, environ: dict[str, str] | None = None) -> ServerEndpoint:
        """The endpoints of the server whose query endpoint is `url`.

        ``.../query`` (Oxigraph, Fuseki) takes updates at ``.../update``; any other
        address (Virtuoso's ``.../sparql``) at itself; KG_STORE_UPDATE_URL says otherwise.

        >>> e = ServerEndpoint.from_url("http://kg:secret@127.0.0.1:8890/sparql-auth", environ={})
        >>> e.query_url, e.update_url, e.user
        ('http://127.0.0.1:8890/sparql-auth', 'http://127.0.0.1:8890/sparql-auth', 'kg')
        >>> ServerEndpoint.from_url("http://127.0.0.1:7878/query", environ={}).update_url
        'http://127.0.0.1:7878/update'
        """
        if not is_server_url(url):
            raise StoreError(f"not a SPARQL server address: {url!r}; give http://HOST:PORT/sparql")
        environ = os.environ if environ is None else environ
        parts = urlsplit(url)
        bare = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))  # no password in messages
        user = user or parts.username or environ.get("KG_STORE_USER") or None
        password = password or parts.password or environ.get("KG_STORE_PASSWORD") or None
        base, _, last = bare.rstrip("/").rpartition("/")
        update = f"{base}/update" if last == "query" else bare
        return cls(bare, update_url or environ.get("KG_STORE_UPDATE_URL") or update, user, password)



class ServerHttp:
    """The HTTP side of `kg.stores.server.ServerStore`: a session per thread, auth as the server asks."""

    endpoint: ServerEndpoint
    timeout: float
    url: str
    _local: Any
    _auth: requests.auth.AuthBase | None

    def _session(self) -> requests.Session:
        http = getattr(self._local, "http", None)
        if http is None:
            http = self._local.http = requests.Session()
            http.headers["User-Agent"] = "militia-kg"
        return http

    def _request(self, method: str, url: str, *, what: str, deadline: float | None = None,
                 **options: Any) -> requests.Response:
        timeout = self.timeout if deadline is None else max(0.001, deadline - time.monotonic())
        http = self._session()
        try:
            response = http.request(method, url, timeout=timeout, auth=self._auth, **options)
            if response.status_code == 401 and self.endpoint.user and self._auth is None:
                self._auth = _auth_for(response, self.endpoint)  # as the server asks: basic or digest
                response = http.request(method, url, timeout=timeout, auth=self._auth, **options)
        except requests.Timeout:
            if deadline is not None:
                raise QueryTimeout(f"the query took longer than {timeout:g} s at {url}") from None
            raise StoreError(f"{url} did not answer within {timeout:g} s") from None
        except requests.RequestException as error:
            raise StoreError(f"cannot reach the SPARQL server at {url} ({_reason(error)}); "
                             "is it running, and is the address right?") from None
        if response.status_code < 300:
            return response
        message = _first_line(response.text) or response.reason
        if response.status_code in (401, 403):
            hint = ("set KG_STORE_USER and KG_STORE_PASSWORD" if response.status_code == 401 and not self.endpoint.user
                    else "check the user, password and the user's rights (Virtuoso: grant SPARQL_UPDATE)")
            raise StoreError(f"{url} refused the {what} ({response.status_code} {response.reason}): {hint}")
        if what == "query" and response.status_code in (400, 500):
            raise QueryError(f"the SPARQL server rejected the query: {message}")
        raise StoreError(f"{url} failed the {what}: {response.status_code} {message}")



def _auth_for(response: requests.Response, endpoint: ServerEndpoint) -> requests.auth.AuthBase:
    challenge = response.headers.get("WWW-Authenticate", "").lower()
    if challenge.startswith("digest"):
        return requests.auth.HTTPDigestAuth(endpoint.user, endpoint.password or "")
    return requests.auth.HTTPBasicAuth(endpoint.user, endpoint.password or "")


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:300]


def _reason(error: requests.RequestException) -> str:
    """The operating system's words for a failed connection ("Connection refused"), or the error's kind."""
    match = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", str(error))
    return match.group(1).strip() if match else type(error).__name__
