"""Parts of one file read by several engines, merged in file order.

A part's groups travel with their templates as words (template ids are local to an engine); the engine that read
the lines before matches them against its own templates, shifts line numbers and adds counts.
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
    formats: dict[str, int]
    segments: list[Segment]
    timeline: dict[str, Row]
    timeline_by_second: bool
    # (key with the template as words, group, first and last raw timestamp, crash title)
    groups: list[tuple[Key, Group, str | None, str | None, str]]


def partial(engine: Engine) -> Partial:
    """An engine's results in a form another engine can absorb."""
    engine.close()
    grouping = engine.grouping
    groups = []
    for tally in grouping.tallies:
        key = tally.key
        if isinstance(key[1], int):
            key = (key[0], tuple(grouping.miner.clusters[key[1]].tokens), *key[2:])
        groups.append((key, tally.group, tally.first_ts, tally.last_ts, tally.title))
    segments = engine.segments
    timeline = engine.timeline
    return Partial(engine.lines, segments.formats, segments.segments, timeline.rows, timeline.by_second, groups)


def absorb(engine: Engine, part: Partial) -> None:
    """Append to an engine the results of the lines that follow its own."""
    engine.close()
    offset = engine.lines
    grouping = engine.grouping
    group_ids: dict[int, int] = {}  # the part's group ids, as this engine numbers them
    for portable, group, first_ts, last_ts, title in part.groups:
        part_id = group.id
        words = portable[1]
        key = (portable[0], grouping.miner.add_tokens(list(words)).id, *portable[2:]) if isinstance(words, tuple) \
            else portable
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
