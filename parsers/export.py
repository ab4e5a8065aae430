"""Per-line results as CSV: `LineId,EventId,GroupId,Level,Timestamp`, one row per physical input line."""

from __future__ import annotations

from typing import TextIO


class LinesCsv:
    """An event sink for analyze_stream that writes a row for every line of every event as it completes.

    Timestamp is the text the engine read as the event's time (empty when it found none).
    """

    def __init__(self, out: TextIO) -> None:
        self._write = out.write
        self._event = 0
        self._write('LineId,EventId,GroupId,Level,Timestamp\n')

    def __call__(self, first_line: int, last_line: int, group_id: int, level: str, timestamp: str | None) -> None:
        self._event += 1
        tail = f',{self._event},{group_id},{level},{_field(timestamp or "")}\n'
        if first_line == last_line:
            self._write(f'{first_line}{tail}')
        else:
            self._write(''.join(f'{line}{tail}' for line in range(first_line, last_line + 1)))


def _field(text: str) -> str:
    # Timestamps like `10:48:20,377` hold the separator. csv.writer per row costs several times more on millions of
    # lines, so only this field is quoted, the way the csv module reads it back.
    if ',' in text or '"' in text:
        return '"' + text.replace('"', '""') + '"'
    return text
