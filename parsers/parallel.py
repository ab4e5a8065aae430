"""Both cores on one big file of one format's records grouped exactly (an access log): split it at record
boundaries, read the first part here while forked workers read the others, and merge.

A worker gives up as soon as a line of its part is not a record of the format the file starts in (a stack trace,
another program's output): how such lines read depends on what came before them. Where every part is that format's
records, and this process ends its part in that format, each part reads as it would have in one pass and the merge
is what one pass gives (see parsers.merge); otherwise this process reads on past its part, alone.
"""

from __future__ import annotations

import codecs
import itertools
import multiprocessing
import os
from collections.abc import Callable, MutableSequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from typing import BinaryIO

from parsers import wrappers
from parsers.engine import Engine, Progress
from parsers.events import SAMPLE_LINES
from parsers.formats import CONTINUES, Format, detect, plain
from parsers.lifeline import exit_with_parent
from parsers.merge import Partial, absorb, partial
from parsers.model import Analysis
from parsers.reader import (
    CHUNK_SIZE,
    InputError,
    ReadLimits,
    ReadStats,
    clean_batch,
    detect_encoding,
    is_compressed,
    iter_batches,
)

# How far past a split point to look for a line that starts a record.
SEARCH_BYTES = 256 * 1024
# How often the progress is reported while this process waits for the workers.
PROGRESS_SECONDS = 0.25
# Bytes read and events counted by each worker, then a flag that tells them to stop: memory the workers inherit.
_shared: MutableSequence[int] | None = None


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
    # A part smaller than one read is not worth a process; the first read is the one the format is learned from.
    if size < max(limits.parallel_min_bytes, CHUNK_SIZE * limits.workers):
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


def analyze_parallel(stream: BinaryIO, ranges: list[tuple[int, int]], limits: ReadLimits,
                     progress: Progress | None) -> Analysis:
    path = str(getattr(stream, 'name', ''))
    # Every part ranks the formats by the file's first lines, as one pass does.
    head = next(iter_batches(stream, limits))[:SAMPLE_LINES * 4]
    stream.seek(0)
    context = multiprocessing.get_context('fork' if 'fork' in multiprocessing.get_all_start_methods() else 'spawn')
    shared = context.Array('q', 2 * len(ranges) - 1, lock=False)
    stats = ReadStats()
    engine = Engine(limits, None)
    engine.reader.learn_formats(head)
    # What was last reported, and whether the workers' reading still counts (not once this process reads on alone).
    highest, counting = [0, 0], [True]

    def report() -> None:
        if progress is not None:
            workers = shared[:-1] if counting[0] else [0, 0]
            # Never backwards, though this process may read on over parts the workers had counted.
            highest[0] = max(highest[0], stats.bytes_read + sum(workers[0::2]))
            highest[1] = max(highest[1], engine.events + sum(workers[1::2]))
            progress(highest[0], highest[1])

    with ProcessPoolExecutor(max_workers=len(ranges) - 1, mp_context=context, initializer=_start_worker,
                             initargs=(shared,)) as pool:
        futures = [pool.submit(_read_part, path, index, start, end, limits, head, end == ranges[-1][1])
                   for index, (start, end) in enumerate(ranges[1:])]
        cut = ranges[0][1]
        batches = iter_batches(_StopAt(stream, cut), limits, stats)
        for batch in batches:
            engine.feed(batch)
            report()
            if stats.bytes_read == cut:
                break
        reader = engine.reader
        # Read past the cut (an over-long line across it), or ended in a way the parts cannot follow.
        alone = stats.bytes_read != cut or not reader.fmt.exact or reader.unwrapping
        if alone:
            shared[-1] = 1  # the workers stop
        parts = None if alone else _results(futures, shared, report)
        merged = parts is not None and _mergeable(engine, [part for part, _ in parts])
        if merged and parts is not None:
            for part, part_stats in parts:
                absorb(engine, part)
                stats.bytes_read += part_stats.bytes_read
            counting[0] = False  # the parts' reading is in this process's figures now
            report()  # the workers may end between two reports: the last one says the whole file was read
    if not merged:  # the workers have ended: their memory is free for this process reading on
        counting[0] = False
        for batch in batches:
            engine.feed(batch)
            report()
    return engine.result(stats)


def _results(futures: list[Future[tuple[Partial, ReadStats] | None]], shared: MutableSequence[int],
             report: Callable[[], None]) -> list[tuple[Partial, ReadStats]] | None:
    """The workers' parts, or None once one of them gave up (the others are told to stop)."""
    while True:
        done, pending = wait(futures, PROGRESS_SECONDS)
        parts = [future.result() for future in done]
        if None in parts:
            shared[-1] = 1
            return None
        if not pending:
            return [part for future in futures if (part := future.result()) is not None]
        report()


def _mergeable(engine: Engine, parts: list[Partial]) -> bool:
    """Whether one pass would have read the parts as the workers did: in this engine's format, which groups exactly,
    with no more groups than it keeps apart."""
    if any(part.format != engine.reader.fmt.name for part in parts):
        return False
    keys = engine.grouping.by_key
    new = {key for part in parts for key, *_ in part.groups if key not in keys}
    return len(keys) + len(new) <= engine.limits.max_groups


def _start_worker(shared: MutableSequence[int]) -> None:
    global _shared  # set once in each worker process, before any part is read
    exit_with_parent()
    _shared = shared


def _read_part(path: str, index: int, start: int, end: int, limits: ReadLimits, head: list[str],
               at_end: bool) -> tuple[Partial, ReadStats] | None:
    """The part from `start` to `end` (`at_end`: the end of the file), or None as soon as it holds a line that is
    not a record of the format the file starts in, or once this process is told to stop."""
    shared = _shared
    assert shared is not None
    stats = ReadStats()
    engine = Engine(limits, None)
    reader = engine.reader
    reader.learn_formats(head)
    if not reader.fmt.exact or reader.unwrapping:
        return None
    with open(path, 'rb') as handle:
        before = _lines_before(handle, start, limits.context_lines + 2, limits)
        if before is None:
            return None
        # The lines before the part, for the examples of groups first seen at its start.
        reader.recent.extend(before)
        handle.seek(start)
        try:
            for batch in iter_batches(_StopAt(handle, end - start, stop=True), limits, stats):
                engine.feed(batch)
                if reader.detours or stats.truncated_lines or stats.encoding != 'utf-8' or shared[-1]:
                    return None
                shared[2 * index], shared[2 * index + 1] = stats.bytes_read, engine.events
        except InputError:  # a part that starts like a compressed or binary file: read by one pass instead
            return None
    return partial(engine, at_end=at_end), stats


def _lines_before(handle: BinaryIO, offset: int, count: int, limits: ReadLimits) -> list[str] | None:
    """The last `count` lines before `offset` (a line start), as a pass from the start reads them; None when one of
    them is too long to keep whole."""
    size = 4096
    while True:
        start = max(0, offset - size)
        handle.seek(start)
        data = handle.read(offset - start)
        if start == 0 or data.count(b'\n') > count:
            break
        if size > 4 * (count + 1) * limits.max_line_bytes:  # characters of up to 4 bytes each
            return None
        size *= 4
    if start > 0:
        data = data[data.find(b'\n') + 1:]  # the line the window starts in may begin before it
    if not data:
        return []
    stats = ReadStats()
    lines = clean_batch(codecs.decode(data, 'utf-8-sig' if start == 0 else 'utf-8', 'replace').removesuffix('\n'),
                        limits, stats)
    return None if stats.truncated_lines else lines[-count:]


def _header_format(head: bytes) -> Format | None:
    """The format the engine will read this file in, when its records are grouped exactly and have headers a part
    can safely start at."""
    lines = head.decode('utf-8', 'replace').split('\n')[:-1]
    sample = [line.removesuffix('\r') for line in lines[:SAMPLE_LINES * 4] if line.strip()][:SAMPLE_LINES]
    if not sample or any(wrappers.unwrap(line) is not None for line in sample):
        return None
    fmt = detect(sample)[0]
    return fmt if fmt is not plain.FORMAT and fmt.exact and fmt.score(sample) > 0 else None


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


class _StopAt:
    """A stream whose reads stop at `size` bytes from here: there they end (`stop`), or the read that would cross
    that point returns the bytes before it and the reads after it go on."""

    def __init__(self, stream: BinaryIO, size: int, *, stop: bool = False) -> None:
        self._stream = stream
        self._left = size
        self._stop = stop

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b'' if self._stop else self._stream.read(size)
        data = self._stream.read(self._left if size < 0 else min(size, self._left))
        self._left -= len(data)
        return data
