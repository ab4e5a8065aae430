"""Per-line results as CSV: `LineId,EventId,GroupId,Level`, one row per physical input line."""

from __future__ import annotations

from typing import TextIO


class LinesCsv:
    """An event sink for analyze_stream that writes a row for every line of every event as it completes."""

    def __init__(self, out: TextIO) -> None:
        self._write = out.write
        self._event = 0
        self._write('LineId,EventId,GroupId,Level\n')

    def __call__(self, first_line: int, last_line: int, group_id: int, level: str) -> None:
        self._event += 1
        tail = f',{self._event},{group_id},{level}\n'
        if first_line == last_line:
            self._write(f'{first_line}{tail}')
        else:
            self._write(''.join(f'{line}{tail}' for line in range(first_line, last_line + 1)))
