"""Runs of consecutive events in one format (a file can hold several), and the events per format."""

from __future__ import annotations

from parsers.events import Event
from parsers.formats import Format
from parsers.model import Segment


class _Run:
    """The segment being read."""

    __slots__ = ('events', 'first', 'format', 'last')

    def __init__(self, first: int, last: int, fmt: Format, events: int) -> None:
        self.first = first
        self.last = last
        self.format = fmt
        self.events = events


class Segments:
    def __init__(self, max_segments: int) -> None:
        self.max_segments = max_segments
        # The first max_segments segments; every event counts in `formats`.
        self.segments: list[Segment] = []
        self.formats: dict[str, int] = {}
        self._run: _Run | None = None

    def add(self, event: Event) -> None:
        self.add_run(event.format, event.first, event.last, 1)

    def add_run(self, fmt: Format, first: int, last: int, events: int) -> None:
        """Count `events` consecutive events of one format, on the lines from `first` to `last`."""
        run = self._run
        if run is not None and run.format is fmt:
            run.last = last
            run.events += events
        else:
            self.close()
            self._run = _Run(first, last, fmt, events)

    def close(self) -> None:
        """The last event was read: the segment being read is complete."""
        run = self._run
        if run is None:
            return
        name = run.format.name
        self.formats[name] = self.formats.get(name, 0) + run.events
        if len(self.segments) < self.max_segments:
            self.segments.append(Segment(run.first, run.last, name, run.events))
        self._run = None

    def absorb(self, segments: list[Segment], formats: dict[str, int], offset: int) -> None:
        """Add the segments read by another engine from the line after `offset` on. One that starts there in the
        format of the segment being read continues it, as it would had this engine read on, and stays open when it
        is the last."""
        formats = dict(formats)
        run = self._run
        if run is not None and segments and segments[0].first_line == 1 and segments[0].format == run.format.name:
            first, *segments = segments
            run.last = first.last_line + offset
            run.events += first.events
            formats[first.format] -= first.events
            if not segments:
                self._count(formats)
                return
        self.close()
        self._count(formats)
        room = self.max_segments - len(self.segments)
        self.segments.extend(Segment(segment.first_line + offset, segment.last_line + offset, segment.format,
                                     segment.events) for segment in segments[:max(room, 0)])

    def _count(self, formats: dict[str, int]) -> None:
        for name, count in formats.items():
            if count:
                self.formats[name] = self.formats.get(name, 0) + count
