"""Runs of consecutive events in one format (a file can hold several), and the events per format."""

from __future__ import annotations

from parsers.events import Event
from parsers.formats import Format
from parsers.model import Segment


class _Run:
    """The segment being read."""

    __slots__ = ('events', 'first', 'format', 'last')

    def __init__(self, event: Event) -> None:
        self.first = event.first
        self.last = event.last
        self.format: Format = event.format
        self.events = 1


class Segments:
    def __init__(self, max_segments: int) -> None:
        self.max_segments = max_segments
        # The first max_segments segments; every event counts in `formats`.
        self.segments: list[Segment] = []
        self.formats: dict[str, int] = {}
        self._run: _Run | None = None

    def add(self, event: Event) -> None:
        run = self._run
        if run is not None and run.format is event.format:
            run.last = event.last
            run.events += 1
        else:
            self.close()
            self._run = _Run(event)

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
        """Add the segments read by another engine from the line after `offset` on."""
        for name, count in formats.items():
            self.formats[name] = self.formats.get(name, 0) + count
        room = self.max_segments - len(self.segments)
        self.segments.extend(Segment(segment.first_line + offset, segment.last_line + offset, segment.format,
                                     segment.events) for segment in segments[:max(room, 0)])
