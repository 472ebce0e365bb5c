"""Extraction spread over Dask workers: the same `extract(documents)` as kg.extract.relations.Extractor.

Documents are cut into batches; each worker loads the spaCy pipeline once (on
its first batch) and sends back plain DocumentExtraction values. Resolution and
storage stay in the calling process, so the graph is the one a single-process
build makes. A batch that fails is retried; a document that fails twice is
reported through `on_error`, never dropped silently.

    kg build corpus/ --out DIR --workers local:2              # a LocalCluster on this machine
    kg build corpus/ --out DIR --workers tcp://scheduler:8786  # an existing cluster
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from kg.config import DEFAULT_CONFIG, Config
from kg.errors import BadSource, KGError
from kg.model import Document, DocumentExtraction

_EXTRACTOR_ATTRIBUTE = "_militia_kg_extractor"  # where a worker keeps its loaded pipeline


@dataclass
class DaskExtractor:
    """Extract with a Dask cluster. `address` is "local:N" or a scheduler address."""

    address: str
    config: Config = DEFAULT_CONFIG
    batch_size: int = 8
    retries: int = 1
    task: Callable[[list[Document], Config], list[DocumentExtraction]] | None = None  # default: extract_batch

    def extract(self, documents: Iterable[Document],
                on_error: Callable[[BadSource], None] | None = None) -> Iterator[DocumentExtraction]:
        distributed = _import_distributed()
        documents = list(documents)
        with self._client(distributed) as client:
            batches = {}
            for i in range(0, len(documents), self.batch_size):
                batch = documents[i: i + self.batch_size]
                batches[self._submit(client, batch)] = batch
            pending = distributed.as_completed(list(batches))
            for future in pending:
                batch = batches.pop(future)
                try:
                    yield from future.result()  # a worker reports what it skipped as a BadSource
                except Exception as error:  # a worker's failure arrives as whatever it raised
                    if len(batch) > 1:  # find the one document that fails: retry each on its own
                        for document in batch:
                            single = self._submit(client, [document])
                            batches[single] = [document]
                            pending.add(single)
                    elif on_error is not None:
                        on_error(BadSource(batch[0].id, f"extraction failed twice ({type(error).__name__}: {error})"))
                    else:
                        raise KGError(f"{batch[0].id}: extraction failed twice: {error}") from None

    def _submit(self, client, batch: list[Document]):
        return client.submit(self.task or extract_batch, batch, self.config, retries=self.retries, pure=False)

    def _client(self, distributed):
        if self.address.startswith("local:"):
            workers = parse_local(self.address)
            cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                               dashboard_address=None)
            return _OwnedClient(distributed.Client(cluster), cluster)
        try:
            return _OwnedClient(distributed.Client(self.address, timeout="10s"), None)
        except (OSError, TimeoutError) as error:
            raise KGError(f"cannot reach the Dask scheduler at {self.address}: {error}; "
                          "start one with `dask scheduler` or use --workers local:N") from None


def extract_batch(documents: list[Document], config: Config) -> list[DocumentExtraction]:
    """Runs on a worker: the pipeline is loaded once per worker process and kept there."""
    from distributed import get_worker

    worker = get_worker()
    extractor = getattr(worker, _EXTRACTOR_ATTRIBUTE, None)
    if extractor is None:
        from kg.extract.relations import Extractor

        extractor = Extractor(replace(config, processes=1))  # a Dask worker is one process of its own
        setattr(worker, _EXTRACTOR_ATTRIBUTE, extractor)
    return list(extractor.extract(documents))


def parse_local(address: str) -> int:
    try:
        workers = int(address.removeprefix("local:"))
    except ValueError:
        workers = 0
    if workers < 1:
        raise KGError(f"--workers {address!r}: say how many local workers, e.g. local:2")
    return workers


class _OwnedClient:
    """A client, and the local cluster it started, closed together."""

    def __init__(self, client, cluster):
        self.client, self.cluster = client, cluster

    def __enter__(self):
        return self.client

    def __exit__(self, *exc) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _import_distributed():
    try:
        import distributed
    except ImportError:
        raise KGError("--workers needs Dask: pip install 'militia-kg[scale]'") from None
    return distributed
