"""Both cores on one big file: split it at record boundaries, read the parts in parallel, merge the results.

The first part is read in this process, the others in forked workers; each returns its groups with templates as
words, which the first engine absorbs in file order (line numbers shifted, templates matched again).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import BinaryIO

from parsers import wrappers
from parsers.engine import Engine
from parsers.events import SAMPLE_LINES
from parsers.formats import CONTINUES, Format, detect, plain
from parsers.lifeline import exit_with_parent
from parsers.merge import Partial, absorb, partial
from parsers.model import Analysis
from parsers.reader import CHUNK_SIZE, ReadLimits, ReadStats, detect_encoding, is_compressed, iter_batches

# How far past a split point to look for a line that starts a record.
SEARCH_BYTES = 256 * 1024


def plan(stream: BinaryIO, limits: ReadLimits) -> list[tuple[int, int]] | None:
    """Byte ranges to read in parallel, or None when this stream is better read in one pass."""
    if limits.workers < 2 or multiprocessing.current_process().daemon:
        return None
    name = getattr(stream, 'name', None)
    try:
        if not isinstance(name, str) or not os.path.isfile(name) or stream.tell() != 0:
            return None
        size = os.fstat(stream.fileno()).st_size
    except (OSError, ValueError):
        return None
    if size < limits.parallel_min_bytes:
        return None
    try:
        cuts = _cuts(stream, size, limits.workers)
    finally:
        stream.seek(0)  # whatever was decided, the stream is read from its start
    return None if cuts is None else list(itertools.pairwise(cuts))


def _cuts(stream: BinaryIO, size: int, workers: int) -> list[int] | None:
    head = stream.read(CHUNK_SIZE)
    if is_compressed(head) or detect_encoding(head) not in ('utf-8', 'utf-8-sig'):
        return None
    fmt = _header_format(head)
    if fmt is None:
        return None
    cuts = [0]
    for part in range(1, workers):
        cut = _record_start(stream, size * part // workers, fmt)
        if cut is None or cut <= cuts[-1]:
            return None
        cuts.append(cut)
    return [*cuts, size]


def analyze_parallel(stream: BinaryIO, ranges: list[tuple[int, int]], limits: ReadLimits) -> Analysis:
    path = str(getattr(stream, 'name', ''))
    # Every part ranks the formats by the file's first lines, as one process does; a part's own lines (a few, in
    # a small part) could teach it another header.
    head = next(iter_batches(stream, limits))[:SAMPLE_LINES * 4]
    stream.seek(0)
    context = multiprocessing.get_context('fork' if 'fork' in multiprocessing.get_all_start_methods() else 'spawn')
    with ProcessPoolExecutor(max_workers=len(ranges) - 1, mp_context=context, initializer=exit_with_parent) as pool:
        futures = [pool.submit(_read_part, path, start, end, limits, head) for start, end in ranges[1:]]
        stats = ReadStats()
        engine = Engine(limits, None)
        engine.reader.learn_formats(head)
        for batch in iter_batches(_Range(stream, ranges[0][1]), limits, stats):
            engine.feed(batch)
        for future in futures:
            part, part_stats = future.result()
            absorb(engine, part)
            stats.bytes_read += part_stats.bytes_read
            stats.truncated_lines += part_stats.truncated_lines
    return engine.result(stats)


def _read_part(path: str, start: int, end: int, limits: ReadLimits, head: list[str]) -> tuple[Partial, ReadStats]:
    stats = ReadStats()
    engine = Engine(limits, None)
    engine.reader.learn_formats(head)
    with open(path, 'rb') as handle:
        handle.seek(start)
        for batch in iter_batches(_Range(handle, end - start), limits, stats):
            engine.feed(batch)
    return partial(engine), stats


def _header_format(head: bytes) -> Format | None:
    """The format the engine will read this file in, when it has headers a part can safely start at."""
    lines = head.decode('utf-8', 'replace').split('\n')[:-1]
    sample = [line.removesuffix('\r') for line in lines[:SAMPLE_LINES * 4] if line.strip()][:SAMPLE_LINES]
    if not sample or any(wrappers.unwrap(line) is not None for line in sample):
        return None
    fmt = detect(sample)[0]
    return fmt if fmt is not plain.FORMAT and fmt.score(sample) > 0 else None


def _record_start(stream: BinaryIO, offset: int, fmt: Format) -> int | None:
    """The offset of the first line at or after `offset` that opens a record right after another record.

    Only there does a part's engine begin where the single-process engine begins an event: a line that merely
    does not look like a frame can still continue a message, and a record after a stack trace may still belong
    to it.
    """
    stream.seek(offset)
    window = stream.read(SEARCH_BYTES)
    start = window.find(b'\n') + 1
    previous = None
    while 0 < start < len(window):
        end = window.find(b'\n', start)
        if end < 0:
            return None
        line = _is_record(window[start:end], fmt)
        if line and previous:
            return offset + start
        previous, start = line, end + 1
    return None


def _is_record(raw: bytes, fmt: Format) -> bool:
    record = fmt.parse(raw.decode('utf-8', 'replace').removesuffix('\r'))
    return record is not None and record is not CONTINUES


class _Range:
    """The next `size` bytes of a stream, as a stream."""

    def __init__(self, stream: BinaryIO, size: int) -> None:
        self._stream = stream
        self._left = size

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b''
        data = self._stream.read(self._left if size < 0 else min(size, self._left))
        self._left -= len(data)
        return data
