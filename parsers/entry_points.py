"""The engine's entry points: a byte stream (or decoded lines) in, an Analysis out."""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from parsers.engine import Engine, EventSink, Progress
from parsers.excerpts import keep_excerpts
from parsers.model import Analysis
from parsers.parallel import analyze_parallel, plan
from parsers.reader import ReadLimits, ReadStats, iter_batches, numbered_batches


def analyze_stream(stream: BinaryIO, limits: ReadLimits | None = None, *, progress: Progress | None = None,
                   on_event: EventSink | None = None) -> Analysis:
    """Read a whole log from a byte stream and return its grouped summary.

    A big file of one format's records grouped exactly (an access log), read without `on_event`, is read by
    `limits.workers` processes; the result is the same.
    A stream that can be read again (a file, not a pipe) is, for the lines around each group's occurrences.
    """
    limits = limits or ReadLimits()
    start = stream.tell() if stream.seekable() else None
    analysis = _analyze(stream, limits, progress, on_event)
    if start is not None:
        stream.seek(start)
        cut = analysis.truncated_lines > 0
        keep_excerpts(analysis.groups, lambda wanted: numbered_batches(stream, limits, wanted, lines_cut=cut), limits)
    return analysis


def _analyze(stream: BinaryIO, limits: ReadLimits, progress: Progress | None, on_event: EventSink | None) -> Analysis:
    if on_event is None:
        ranges = plan(stream, limits)
        if ranges is not None:
            return analyze_parallel(stream, ranges, limits, progress)
    stats = ReadStats()
    engine = Engine(limits, on_event)
    for batch in iter_batches(stream, limits, stats):
        engine.feed(batch)
        if progress is not None:
            progress(stats.bytes_read, engine.events)
    return engine.result(stats)


def analyze_lines(lines: Iterable[str], limits: ReadLimits | None = None) -> Analysis:
    """Analyze lines already decoded (without line endings)."""
    limits = limits or ReadLimits()
    batch = list(lines)
    engine = Engine(limits, None)
    engine.feed(batch)
    analysis = engine.result(ReadStats())
    keep_excerpts(analysis.groups, lambda wanted: [(1, batch)], limits)
    return analysis
