"""Reading and citing on the workers: documents in batches, results streamed back in order.

A worker reads a batch of files (any format), finds their notes and parses their
citations; the client keeps at most `window` batches in flight, so no worker holds the
corpus and the client holds only what comes back (notes and citations, not file bytes).
Keys unique across the corpus are given on the client, as `cite_corpus` does in-process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from citecheck.cite.citation import CitedDocument
from citecheck.cite.citing import cite_document, unique_keys
from citecheck.read.corpus import ReadCorpus, Unreadable
from citecheck.read.document import collect_paths
from citecheck.read.formats import read_noted
from citecheck.read.model import DocumentError, NotedDocument

if TYPE_CHECKING:
    from distributed import Client

Read = tuple[NotedDocument, CitedDocument] | Unreadable


def read_and_cite(paths: Sequence[str]) -> list[Read]:
    """On a worker: each file's notes and citations, or why it could not be read, so one bad
    file never fails the audit (the client reports it, as the in-process run does)."""
    done: list[Read] = []
    for path in paths:
        try:
            noted = read_noted(path)
        except DocumentError as error:
            done.append(Unreadable(path, str(error)))
            continue
        done.append((noted, cite_document(noted)))
    return done


def batches(paths: Sequence[Path], size: int) -> list[list[str]]:
    return [[str(p) for p in paths[i : i + size]] for i in range(0, len(paths), size)]


def read_on_cluster(
    client: Client,
    paths: Sequence[Path],
    *,
    batch_size: int = 8,
    window: int | None = None,
    on_batch: Callable[[int, int], None] | None = None,
) -> tuple[ReadCorpus, tuple[CitedDocument, ...]]:
    """Every document read and cited on the workers, in the order of `paths`; the files that
    could not be read are listed, and only when none could is it a DocumentError.

    `window` batches at most are in flight (twice the workers by default); `on_batch` is
    told (documents read, documents in all) as batches come back.
    """
    from distributed import as_completed  # noqa: PLC0415

    paths = collect_paths(paths)  # folders expanded here, as extract_paths does
    work = batches(paths, batch_size)
    limit = window or max(2, 2 * len(client.scheduler_info().get("workers", {})))
    results: dict[int, list[Read]] = {}
    pending = iter(enumerate(work))

    def submit(index: int, batch: list[str]) -> Any:
        return client.submit(read_and_cite, batch, key=f"read-{index}-{batch[0]}", retries=2)

    futures = {submit(index, batch): index for index, batch in islice(pending, limit)}
    running = as_completed(list(futures))
    read = 0
    for future in running:
        index = futures.pop(future)
        results[index] = future.result()
        read += len(results[index])
        if on_batch is not None:
            on_batch(read, len(paths))
        for next_index, batch in islice(pending, 1):  # one out, one in: the window holds
            submitted = submit(next_index, batch)
            futures[submitted] = next_index
            running.add(submitted)
    ordered = [item for index in range(len(work)) for item in results[index]]
    readable = [item for item in ordered if not isinstance(item, Unreadable)]
    unreadable = tuple(item for item in ordered if isinstance(item, Unreadable))
    if unreadable and not readable:
        raise DocumentError(f"none of the {len(unreadable)} file(s) found could be read")
    corpus = ReadCorpus(tuple(pair[0] for pair in readable), unreadable)
    return corpus, unique_keys([pair[1] for pair in readable])
