"""The engine's entry points: a byte stream (or decoded lines) in, an Analysis out."""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from parsers.engine import Engine, EventSink, Progress
from parsers.model import Analysis
from parsers.parallel import analyze_parallel, plan
from parsers.reader import ReadLimits, ReadStats, iter_batches


def analyze_stream(stream: BinaryIO, limits: ReadLimits | None = None, *, progress: Progress | None = None,
                   on_event: EventSink | None = None) -> Analysis:
    """Read a whole log from a byte stream and return its grouped summary.

    A big file read without callbacks uses `limits.workers` processes; the result is the same but for group ids.
    """
    limits = limits or ReadLimits()
    if progress is None and on_event is None:
        ranges = plan(stream, limits)
        if ranges is not None:
            return analyze_parallel(stream, ranges, limits)
    stats = ReadStats()
    engine = Engine(limits, on_event)
    for batch in iter_batches(stream, limits, stats):
        engine.feed(batch)
        if progress is not None:
            progress(stats.bytes_read, engine.events)
    return engine.result(stats)


def analyze_lines(lines: Iterable[str], limits: ReadLimits | None = None) -> Analysis:
    """Analyze lines already decoded (without line endings)."""
    engine = Engine(limits or ReadLimits(), None)
    engine.feed(list(lines))
    return engine.result(ReadStats())
