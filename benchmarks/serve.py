"""The SPARQL endpoint under load: `kg serve` against Oxigraph's own server, same store, same clients.

    .venv/bin/python benchmarks/serve.py                          # 200 clients x 10 requests, 3 rounds
    .venv/bin/python benchmarks/serve.py --clients 400 --requests 20 --triples 1000000 --rounds 5
    .venv/bin/python benchmarks/serve.py --only kg                # our server alone

Writes a synthetic build (benchmarks/synthetic.py), then in each round starts `kg serve`
and `oxigraph serve-read-only --union-default-graph` (the `oxigraph` package from PyPI,
installed by `.[test]`) on its store, one after the other in alternating order, each on
a free loopback port, and sends each the same requests from the same clients, all
released at once. Half the clients keep one connection alive for all their requests,
half connect anew for each (which tests the accept backlog). Requests mix GET, form
POST and application/sparql-query POST; JSON, XML, CSV, TSV and Turtle answers; quick
lookups and saved queries, each written out with its PREFIX lines so that both servers
read the same text. A request fails if the connection fails, the status is not 200, or
the body is not the answer asked for.

Prints, per round and server, requests/s, p50/p99 latency and the CPU seconds the
server used per 1,000 requests (its worker processes included), then the ratio of
ours to Oxigraph's in each round and its spread. Our answer cache is off unless
`--cache-mb` is given (Oxigraph has none), so every request is evaluated. `--parts`
runs benchmarks/serve_parts.py (our parts of an answer against libraries).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
SAVED = ("attacks-by-militia", "backers", "condemnations", "attacks-on-bases")


def requests_for(rng: random.Random, n: int, entities: list[str]) -> list[tuple[str, str, str]]:
    """(kind, query, Accept) triples: about 70% quick lookups, 30% saved queries."""
    from kg.query import saved_queries
    from kg.vocab import sparql_prologue

    saved = saved_queries()
    prologue = sparql_prologue()
    out = []
    for _ in range(n):
        entity = rng.choice(entities)
        roll = rng.random()
        if roll < 0.3:
            out.append(("saved", saved[rng.choice(SAVED)].text,
                        rng.choice(("application/sparql-results+json", "text/csv"))))
        elif roll < 0.5:
            out.append(("lookup", f"SELECT ?p ?o WHERE {{ <{entity}> ?p ?o }}",
                        rng.choice(("application/sparql-results+json", "application/sparql-results+xml",
                                    "text/tab-separated-values"))))
        elif roll < 0.65:
            out.append(("lookup", f"DESCRIBE <{entity}>", "text/turtle"))
        elif roll < 0.8:
            out.append(("lookup", prologue + "ASK { ?s a kg:Base }", "application/sparql-results+json"))
        else:
            out.append(("lookup", prologue + f"SELECT ?attack ?date WHERE {{ ?attack kg:target <{entity}> ; "
                        "kg:date ?date }", "application/sparql-results+json"))
    return out


def looks_right(accept: str, body: bytes) -> bool:
    if not body:
        return False
    if accept == "application/sparql-results+json":
        document = json.loads(body)
        return "boolean" in document or "results" in document
    if accept.endswith("xml"):
        return body.startswith(b"<?xml")
    return True


class Client(threading.Thread):
    def __init__(self, port: int, plan: list, keep_alive: bool, start: threading.Barrier, method: str):
        super().__init__(daemon=True)
        self.port, self.plan, self.keep_alive, self.start_line, self.method = port, plan, keep_alive, start, method
        self.results: list[tuple[str, float, str]] = []  # (kind, seconds, outcome)

    def run(self) -> None:
        connection = None
        self.start_line.wait()
        for kind, query, accept in self.plan:
            started = time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                self._send(connection, query, accept)
                response = connection.getresponse()
                body = response.read()
                outcome = "ok" if response.status == 200 and looks_right(accept, body) else f"status {response.status}"
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException, ValueError) as error:
                outcome = type(error).__name__
                if connection is not None:
                    connection.close()
                connection = None
            self.results.append((kind, time.perf_counter() - started, outcome))
            if not self.keep_alive and connection is not None:
                connection.close()
                connection = None
        if connection is not None:
            connection.close()

    def _send(self, connection: http.client.HTTPConnection, query: str, accept: str) -> None:
        headers = {"Accept": accept}
        if self.method == "GET":
            connection.request("GET", "/sparql?" + urlencode({"query": query}), headers=headers)
        elif self.method == "FORM":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request("POST", "/sparql", body=urlencode({"query": query}), headers=headers)
        else:
            headers["Content-Type"] = "application/sparql-query"
            connection.request("POST", "/sparql", body=query.encode("utf-8"), headers=headers)


# ------------------------------------------------------------ the two servers


def start_kg(build: Path, args: argparse.Namespace) -> tuple[subprocess.Popen, int]:
    command = [sys.executable, "-m", "kg", "serve", str(build), "--port", "0", "--quiet",
               "--timeout", str(args.timeout), "--cache-mb", str(args.cache_mb)]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=HERE.parent)
    line = server.stderr.readline()
    match = re.search(r"http://[^/\s]+:(\d+)/sparql", line)
    if not match:
        server.kill()
        raise SystemExit(f"kg serve did not start: {line}{server.stderr.read()}")
    return server, int(match.group(1))


def start_oxigraph(build: Path, args: argparse.Namespace) -> tuple[subprocess.Popen, int]:
    binary = shutil.which("oxigraph", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if binary is None:
        raise SystemExit("no `oxigraph` server: pip install -e '.[test]' (the oxigraph package from PyPI)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [binary, "serve-read-only", "--location", os.path.realpath(build / "store"),
               "--bind", f"127.0.0.1:{port}", "--union-default-graph", "--timeout-s", str(int(args.timeout))]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"oxigraph serve-read-only exited with {server.returncode}") from None
            time.sleep(0.05)
    server.kill()
    raise SystemExit("oxigraph serve-read-only did not start within 60 s")


SERVERS = {"kg": ("kg serve", start_kg), "oxigraph": ("oxigraph serve-read-only", start_oxigraph)}


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) used so far by process `pid` and every process under it (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    usage: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        usage[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += usage.get(current, 0.0)
        todo.extend(children.get(current, ()))
    return total


@dataclass
class Run:
    server: str
    results: list[tuple[str, float, str]]
    wall: float
    cpu: float  # the server's CPU seconds during the run

    @property
    def rate(self) -> float:
        return len(self.results) / self.wall

    def latency(self, p: float, kind: str = "all") -> float:
        times = sorted(t for k, t, _ in self.results if kind in ("all", k))
        return times[min(len(times) - 1, int(round(p / 100 * (len(times) - 1))))] if times else float("nan")

    @property
    def failed(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for _, _, outcome in self.results:
            if outcome != "ok":
                out[outcome] = out.get(outcome, 0) + 1
        return out


def load(name: str, build: Path, args: argparse.Namespace, plans: list[list]) -> Run:
    """Start server `name` on `build`, send it `plans` (one per client) all at once, stop it."""
    server, port = SERVERS[name][1](build, args)
    try:
        warm = Client(port, plans[0][:3], keep_alive=True, start=threading.Barrier(1), method="GET")
        warm.run()  # the first requests open the store (and start our first worker)
        start = threading.Barrier(len(plans) + 1)
        clients = [Client(port, plan, keep_alive=i % 2 == 0, start=start, method=("GET", "FORM", "DIRECT")[i % 3])
                   for i, plan in enumerate(plans)]
        for client in clients:
            client.start()
        cpu_before = cpu_seconds(server.pid)
        start.wait()
        began = time.perf_counter()
        for client in clients:
            client.join()
        wall = time.perf_counter() - began
        cpu = cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(10)
    return Run(name, [r for client in clients for r in client.results], wall, cpu)


def show(run: Run, round_number: int) -> None:
    failed = run.failed
    print(f"{round_number:>5}  {SERVERS[run.server][0]:<26}{run.rate:>8.0f}{run.latency(50) * 1000:>9.0f}ms"
          f"{run.latency(99) * 1000:>9.0f}ms{run.latency(50, 'saved') * 1000:>9.0f}ms"
          f"{run.cpu / len(run.results) * 1000:>9.1f}s{run.wall:>8.1f}s  "
          + (", ".join(f"{k}: {v}" for k, v in sorted(failed.items())) or "-"), flush=True)


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} (min {min(values):.2f}, max {max(values):.2f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--requests", type=int, default=10, help="per client")
    parser.add_argument("--triples", type=int, default=100_000, help="size of the synthetic build")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, each running every server once")
    parser.add_argument("--only", choices=sorted(SERVERS), help="run this server alone")
    parser.add_argument("--timeout", type=float, default=60.0, help="the servers' per-query timeout")
    parser.add_argument("--cache-mb", type=int, default=0,
                        help="our server's answer cache (default 0: every request is evaluated)")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--parts", action="store_true", help="time the endpoint's parts against libraries instead")
    args = parser.parse_args(argv)
    if args.parts:
        sys.path.insert(0, str(HERE))
        from serve_parts import parts

        return parts()

    sys.path.insert(0, str(HERE))
    from synthetic import synthetic_graph

    from kg.rdf import graph_to_quads
    from kg.stores import write_build_store
    from kg.vocab import entity_iri

    names = [args.only] if args.only else ["kg", "oxigraph"]
    runs: list[list[Run]] = []
    with tempfile.TemporaryDirectory(prefix="kg-serve-bench-") as scratch:
        build = Path(scratch)
        graph = synthetic_graph(args.triples, seed=args.seed)
        write_build_store(build, graph_to_quads(graph))
        rng = random.Random(args.seed)
        entities = [str(entity_iri(e)) for e in graph.entities]
        plans = [requests_for(rng, args.requests, entities) for _ in range(args.clients)]
        print(f"{args.clients} clients x {args.requests} requests = {args.clients * args.requests} requests a run, "
              f"all released at once, against a {args.triples:,}-triple build; our answer cache {args.cache_mb} MB")
        print(f"machine: {os.cpu_count()} CPUs, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
              "half the clients keep their connection alive, half reconnect per request; GET, form POST and "
              "sparql-query POST in turn\n")
        print(f"{'round':>5}  {'server':<26}{'req/s':>8}{'p50':>11}{'p99':>11}{'saved p50':>11}"
              f"{'CPU/1k':>10}{'wall':>9}  failed")
        for number in range(1, args.rounds + 1):
            order = names if number % 2 else names[::-1]
            runs.append([])
            for name in order:
                runs[-1].append(load(name, build, args, plans))
                show(runs[-1][-1], number)
    failures = sum(sum(run.failed.values()) for round_runs in runs for run in round_runs)
    if len(names) == 2:
        by_round = [{run.server: run for run in round_runs} for round_runs in runs]
        rates = [r["kg"].rate / r["oxigraph"].rate for r in by_round]
        cpu = [(r["kg"].cpu / len(r["kg"].results)) / (r["oxigraph"].cpu / len(r["oxigraph"].results))
               for r in by_round]
        print(f"\nkg serve / oxigraph server, requests/s:       {spread(rates)}   "
              f"(per round: {' '.join(f'{x:.2f}' for x in rates)})")
        print(f"kg serve / oxigraph server, CPU per request:  {spread(cpu)}")
    print(f"load average now {' '.join(f'{x:.1f}' for x in os.getloadavg())}; failed requests: {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
