"""Parts of one file read by several engines, merged in file order.

Only parts whose every line is a record of one format grouped exactly (by its masked message, not by a template
mined from the lines before) are merged; their results do not depend on where the reading began, so the merge gives
what one engine reading on would have found (see parsers.parallel). The engine that read the lines before shifts
line numbers, numbers the part's new groups after its own and adds counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from parsers.engine import Engine
from parsers.grouping import Key
from parsers.model import Group, Segment
from parsers.timeline import Row


@dataclass(frozen=True, slots=True)
class Partial:
    """What an engine read, ready to be absorbed by the engine that read the lines before."""

    lines: int
    # The format every line was a record of.
    format: str
    formats: dict[str, int]
    segments: list[Segment]
    timeline: dict[str, Row]
    timeline_by_second: bool
    # (key, group, first and last raw timestamp, crash title)
    groups: list[tuple[Key, Group, str | None, str | None, str]]


def partial(engine: Engine, *, at_end: bool) -> Partial:
    """An engine's results in a form another engine can absorb; `at_end` when its lines end the log."""
    engine.reader.close(at_end=at_end)
    engine.segments.close()
    groups = [(tally.key, tally.group, tally.first_ts, tally.last_ts, tally.title) for tally in engine.grouping.tallies]
    segments, timeline = engine.segments, engine.timeline
    return Partial(engine.lines, engine.reader.fmt.name, segments.formats, segments.segments, timeline.rows,
                   timeline.by_second, groups)


def absorb(engine: Engine, part: Partial) -> None:
    """Append to an engine the results of the lines that follow its own, the first of which ends its last event."""
    engine.reader.close(at_end=False)
    offset = engine.lines
    grouping = engine.grouping
    group_ids: dict[int, int] = {}  # the part's group ids, as this engine numbers them
    for key, group, first_ts, last_ts, title in part.groups:
        part_id = group.id
        group.first_line += offset
        group.occurrences = [line + offset for line in group.occurrences]
        group.last_line += offset
        tally = grouping.by_key.get(key)
        if tally is None:
            tally = grouping.insert(key, group, title)
        else:
            mine = tally.group
            mine.count += group.count
            mine.lines += group.lines
            room = engine.limits.max_occurrences - len(mine.occurrences)
            mine.occurrences.extend(group.occurrences[:max(room, 0)])
            mine.last_line = group.last_line
        for ts in (first_ts, last_ts):
            if ts is not None:
                grouping.see(tally, ts, 0)
        group_ids[part_id] = tally.group.id
    engine.timeline.absorb(part.timeline, part.timeline_by_second, group_ids)
    engine.segments.absorb(part.segments, part.formats, offset)
    engine.merged_lines += part.lines
