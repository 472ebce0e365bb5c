"""Real SPARQL 1.1 servers for tests: Virtuoso (Debian's virtuoso-t) and Oxigraph server.

Import the fixtures into a test module (pytest finds them there)::

    from tests.servers import clear, oxigraph_server, virtuoso  # noqa: F401

Each fixture starts its server once per session on free loopback ports, in a private
temporary folder, and yields a :class:`SparqlServer`; it stops the server and removes
the folder at teardown. A fixture skips its tests when the server's binary is absent
(``bash .ci/install-virtuoso.sh .venv`` installs both). ``clear(server)`` drops the
graphs the tests wrote, so a test can start from an empty store.

``start_virtuoso()`` and ``start_oxigraph()`` are the context managers behind the
fixtures, for a test that needs a server of its own (say Oxigraph with
``union_default_graph=True``).

What these servers do differently is written down beside each setting below; in short:
Virtuoso's default dataset is the union of all graphs (its own system graphs
included), Oxigraph's is an empty default graph unless started with
``--union-default-graph`` or asked with the ``union-default-graph`` query parameter.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

RESULTS_JSON = "application/sparql-results+json"
START_TIMEOUT = 90.0  # seconds; Virtuoso creates its database in about 4 s on two cores

# Virtuoso's own graphs, present in a new database (or made by its first /sparql request):
# clear() never drops them. VIRTUOSO_SYSTEM_GRAPHS is topped up with what a new server holds.
VIRTUOSO_SYSTEM_GRAPHS = frozenset({
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
    "http://www.w3.org/2002/07/owl#",
})


@dataclass(frozen=True)
class SparqlServer:
    """Where a running SPARQL server answers, and how."""

    name: str  # "virtuoso" or "oxigraph"
    base_url: str  # http://127.0.0.1:PORT
    query_url: str
    update_url: str
    graph_store_url: str  # SPARQL 1.1 Graph Store Protocol: ?graph=IRI with GET, PUT, POST, DELETE
    auth_query_url: str | None = None  # the same endpoints behind HTTP digest auth (user, password)
    auth_graph_store_url: str | None = None
    user: str | None = None
    password: str | None = None
    union_default_graph: bool = False  # a query's default graph is the union of all graphs
    system_graphs: frozenset[str] = frozenset()  # the server's own graphs, which clear() keeps
    folder: Path | None = None  # the server's private folder (its database and log)


# ---------------------------------------------------------------- helpers


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (another process may take it before we bind it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_binary(name: str) -> str | None:
    """NAME beside this interpreter (the venv's bin folder), else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the server gets SIGTERM if the test process dies without its teardown."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - best effort only
        pass


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"({path} not found)"


def _stop(process: subprocess.Popen, grace: float = 10.0) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _wait_until_answers(url: str, process: subprocess.Popen, logs: list[Path], what: str,
                        timeout: float = START_TIMEOUT) -> float:
    """Poll URL?query=ASK{} until it answers 200; the seconds it took. Raise with the logs if not."""
    start = time.monotonic()
    last = "no answer"
    while time.monotonic() - start < timeout:
        if process.poll() is not None:
            break
        try:
            response = requests.get(url, params={"query": "ASK {}"}, headers={"Accept": RESULTS_JSON}, timeout=5)
            if response.status_code == 200:
                return time.monotonic() - start
            last = f"HTTP {response.status_code}: {response.text[:200]}"
        except requests.RequestException as error:
            last = type(error).__name__
        time.sleep(0.05)
    state = (f"exited with code {process.returncode}" if process.poll() is not None
             else f"did not answer within {timeout:.0f} s (last: {last})")
    tails = "\n".join(f"--- tail of {log}:\n{_tail(log)}" for log in logs)
    raise RuntimeError(f"{what} {state}\n{tails}")


def graph_names(server: SparqlServer) -> set[str]:
    """Every named graph on SERVER that holds a triple (and on Oxigraph, empty named graphs too)."""
    queries = ["SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"]
    if server.name != "virtuoso":  # Virtuoso answers `GRAPH ?g {}` with one row binding nothing
        queries.append("SELECT DISTINCT ?g WHERE { GRAPH ?g {} }")
    names: set[str] = set()
    for query in queries:
        response = requests.post(server.query_url, data={"query": query}, headers={"Accept": RESULTS_JSON},
                                 timeout=60)
        response.raise_for_status()
        names.update(row["g"]["value"] for row in response.json()["results"]["bindings"] if "g" in row)
    return names


def update(server: SparqlServer, text: str, timeout: float = 120) -> requests.Response:
    """Run a SPARQL Update on SERVER's anonymous update endpoint; raise on an HTTP error."""
    response = requests.post(server.update_url, data=text.encode("utf-8"),
                             headers={"Content-Type": "application/sparql-update; charset=utf-8"}, timeout=timeout)
    if response.status_code >= 300:
        raise RuntimeError(f"{server.name} update failed, HTTP {response.status_code}: {response.text[:500]}")
    return response


def clear(server: SparqlServer, prefix: str | None = None) -> int:
    """Drop every graph on SERVER but its system graphs (only those whose IRI starts with
    PREFIX, when given); on Oxigraph also empty the default graph when no PREFIX is given.
    Returns how many graphs were dropped.

    Not ``DROP ALL``: on Virtuoso that would drop its own system graphs too.
    """
    dropped, before = 0, None
    while True:  # each round sees at most one result page (Virtuoso caps rows at 10,000)
        names = sorted(g for g in graph_names(server) - server.system_graphs
                       if prefix is None or g.startswith(prefix))
        if not names:
            break
        if names == before:
            raise RuntimeError(f"{server.name} kept graphs after DROP: {names[:5]}")
        before = names
        for start in range(0, len(names), 50):
            update(server, " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in names[start:start + 50]))
        dropped += len(names)
    if prefix is None and server.name != "virtuoso":
        update(server, "CLEAR SILENT DEFAULT")
    return dropped


# ---------------------------------------------------------------- Virtuoso

# A small server for a 2-core machine shared with other tests: 10,000 buffers of 8 KiB
# (about 80 MiB), two threads a query. The [SPARQL] limits are Debian's defaults, so a
# client meets the same 10,000-row cap (ResultSetMaxRows) as on a stock server.
VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
CheckpointAuditTrail = 0
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = ., {dir}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
MaxQueryMem = 256M
VectorSize = 1000
MaxVectorSize = 1000000
AdjustVectorSize = 0
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/vsp
MaxClientConnections = 10
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
MaxCachedProxyConnections = 10
ProxyConnectionCacheTimeout = 15
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
EnabledGzipContent = 1

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
"""


def _isql(isql: str, sql_port: int, password: str, *statements: str, timeout: float = 60) -> str:
    """Run SQL STATEMENTS as dba through isql; raise with its output when one fails."""
    command = [isql, f"127.0.0.1:{sql_port}", "dba", password, *(f"EXEC={s}" for s in statements)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    output = result.stdout + result.stderr
    if result.returncode != 0 or "*** Error" in output:
        raise RuntimeError(f"isql ({' ; '.join(statements)}) failed with code {result.returncode}:\n{output[-2000:]}")
    return output


@contextlib.contextmanager
def start_virtuoso() -> Iterator[SparqlServer]:
    """A new Virtuoso in a temporary folder, its dba password random, its anonymous SPARQL
    user allowed to update (so /sparql takes SPARQL Update and /sparql-graph-crud takes
    PUT, POST and DELETE without auth). Stopped and removed on exit."""
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")  # Debian's name for Virtuoso's isql
    if binary is None or isql is None:
        raise FileNotFoundError("virtuoso-t or isql-vt is not installed (bash .ci/install-virtuoso.sh)")
    folder = Path(tempfile.mkdtemp(prefix="kg-virtuoso-"))
    process, password = None, None
    try:
        for attempt in range(3):  # a free port can be taken between free_port() and the bind
            http_port, sql_port = free_port(), free_port()
            (folder / "vsp").mkdir(exist_ok=True)
            for stale in folder.glob("virtuoso*"):
                stale.unlink()
            ini = folder / "virtuoso.ini"
            ini.write_text(VIRTUOSO_INI.format(dir=folder, http_port=http_port, sql_port=sql_port))
            with open(folder / "stdout.txt", "wb") as out:
                process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=folder,
                                           stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                           preexec_fn=_die_with_parent)
            base = f"http://127.0.0.1:{http_port}"
            try:
                _wait_until_answers(f"{base}/sparql", process, [folder / "virtuoso.log", folder / "stdout.txt"],
                                    f"virtuoso-t (HTTP {http_port}, SQL {sql_port}, in {folder})")
                break
            except RuntimeError:
                log = _tail(folder / "virtuoso.log", 200)
                _stop(process)
                if attempt < 2 and ("Failed HTTP listen" in log or "Failed to start listening" in log):
                    continue
                raise
        new_password = secrets.token_hex(12)
        for attempt in range(50):  # the SQL port opens just after the HTTP one
            try:
                _isql(isql, sql_port, "dba", f"USER_CHANGE_PASSWORD ('dba', 'dba', '{new_password}')")
                password = new_password
                break
            except RuntimeError:
                if attempt == 49 or process.poll() is not None:
                    raise
                time.sleep(0.1)
        _isql(isql, sql_port, password, 'GRANT SPARQL_UPDATE TO "SPARQL"', "checkpoint")
        server = SparqlServer(
            name="virtuoso", base_url=base, query_url=f"{base}/sparql", update_url=f"{base}/sparql",
            graph_store_url=f"{base}/sparql-graph-crud", auth_query_url=f"{base}/sparql-auth",
            auth_graph_store_url=f"{base}/sparql-graph-crud-auth", user="dba", password=password,
            union_default_graph=True, folder=folder)
        yield dataclasses.replace(server, system_graphs=VIRTUOSO_SYSTEM_GRAPHS | graph_names(server))
    finally:
        if process is not None and process.poll() is None:
            if password is not None:  # a clean shutdown takes a quarter of a second
                with contextlib.suppress(RuntimeError, OSError, subprocess.SubprocessError):
                    _isql(isql, sql_port, password, "shutdown", timeout=20)
                    process.wait(20)
            _stop(process)  # else SIGTERM, then SIGKILL
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- Oxigraph


@contextlib.contextmanager
def start_oxigraph(union_default_graph: bool = False) -> Iterator[SparqlServer]:
    """A new `oxigraph serve` on a temporary --location; stopped and removed on exit.
    With UNION_DEFAULT_GRAPH, queries' default graph is the union of all graphs."""
    binary = find_binary("oxigraph")
    if binary is None:
        raise FileNotFoundError("the oxigraph binary is not installed (pip install oxigraph)")
    folder = Path(tempfile.mkdtemp(prefix="kg-oxigraph-"))
    process = None
    try:
        for attempt in range(3):
            port = free_port()
            command = [binary, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"]
            if union_default_graph:
                command.append("--union-default-graph")
            with open(folder / "stdout.txt", "wb") as out:
                process = subprocess.Popen(command, cwd=folder, stdin=subprocess.DEVNULL, stdout=out,
                                           stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
            base = f"http://127.0.0.1:{port}"
            try:
                _wait_until_answers(f"{base}/query", process, [folder / "stdout.txt"],
                                    f"oxigraph serve (port {port}, in {folder})")
                break
            except RuntimeError:
                log = _tail(folder / "stdout.txt", 50)
                _stop(process)
                if attempt < 2 and "in use" in log:
                    continue
                raise
        yield SparqlServer(name="oxigraph", base_url=base, query_url=f"{base}/query", update_url=f"{base}/update",
                           graph_store_url=f"{base}/store", union_default_graph=union_default_graph, folder=folder)
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def virtuoso() -> Iterator[SparqlServer]:
    """A Virtuoso for the session (skips when Debian's virtuoso-t is not installed)."""
    if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
        pytest.skip("Virtuoso is not installed (virtuoso-t, isql-vt): run bash .ci/install-virtuoso.sh .venv")
    with start_virtuoso() as server:
        yield server


@pytest.fixture(scope="session")
def oxigraph_server() -> Iterator[SparqlServer]:
    """An Oxigraph server for the session, default graph NOT the union (skips when the
    oxigraph binary is not installed)."""
    if find_binary("oxigraph") is None:
        pytest.skip("the oxigraph server binary is not installed: pip install 'oxigraph>=0.5,<0.6'")
    with start_oxigraph() as server:
        yield server
