"""The evaluation corpus: small excerpts of public sample logs with hand labels, listed in corpus/MANIFEST.toml.

Each excerpt `corpus/logs/<name>.log` has `corpus/labels/<name>.csv` with one row per physical line:
`line,starts_event,level_written,level,timestamp,template`. On a line that starts an event: the level as the format
writes it and its usual name (TRACE..FATAL, empty when the format writes none), the time the header carries
(ISO 8601, `XXXX` for a year the format leaves out, empty when none) and, on some files, the event's template id.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent / 'corpus'
HALVES = ('tune', 'heldout', 'fresh')
LEVELS = ('TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL')
COLUMNS = ['line', 'starts_event', 'level_written', 'level', 'timestamp', 'template']
SOURCE = ('name', 'format', 'half', 'repository', 'path', 'commit', 'lines', 'licence')
# Stand-in for a year the format does not write, so the rest of the value can still be checked.
NO_YEAR = 'XXXX'


class CorpusError(ValueError):
    """The manifest or a label file does not describe its excerpt."""


@dataclass(frozen=True, slots=True)
class Line:
    starts_event: bool
    level_written: str
    level: str
    timestamp: str
    template: str


@dataclass(frozen=True, slots=True)
class CorpusFile:
    name: str
    format: str
    half: str
    log: Path
    labels: list[Line]

    @property
    def starts(self) -> list[int]:
        """Line numbers (from 1) of the lines that start an event."""
        return [number for number, line in enumerate(self.labels, start=1) if line.starts_event]

    @property
    def has_templates(self) -> bool:
        return any(line.template for line in self.labels)


def load(root: Path = ROOT) -> list[CorpusFile]:
    """Every file of the manifest with its labels, checked against its excerpt; CorpusError names the first fault."""
    manifest = tomllib.loads((root / 'MANIFEST.toml').read_text(encoding='utf-8'))
    files = [_entry(root, entry) for entry in manifest.get('file', [])]
    names = [corpus_file.name for corpus_file in files]
    if len(set(names)) != len(names):
        raise CorpusError('a name is listed twice in the manifest')
    unlisted = {path.stem for path in (root / 'logs').glob('*.log')} - set(names)
    if unlisted:
        raise CorpusError(f'excerpts missing from the manifest: {sorted(unlisted)}')
    return files


def physical_lines(log: Path) -> list[str]:
    """The excerpt's lines as the engine numbers them (a final newline does not open another line)."""
    text = log.read_text(encoding='utf-8')
    return text.removesuffix('\n').split('\n')


def _entry(root: Path, entry: dict[str, object]) -> CorpusFile:
    missing = [key for key in SOURCE if not entry.get(key)]
    if missing:
        raise CorpusError(f'{entry.get("name", "an entry")}: no {", ".join(missing)} in the manifest')
    name = str(entry['name'])
    if entry['half'] not in HALVES:
        raise CorpusError(f'{name}: half must be one of {HALVES}')
    first_last = entry['lines']
    if not (isinstance(first_last, list) and len(first_last) == 2 and 0 < first_last[0] <= first_last[1]):
        raise CorpusError(f'{name}: lines must be [first, last] in the source file')
    log = root / 'logs' / f'{name}.log'
    if not log.is_file():
        raise CorpusError(f'{name}: no excerpt {log.name}')
    count = len(physical_lines(log))
    if first_last[1] - first_last[0] + 1 != count:
        raise CorpusError(f'{name}: the manifest gives {first_last} but the excerpt has {count} lines')
    labels = _labels(name, root / 'labels' / f'{name}.csv', count)
    return CorpusFile(name, str(entry['format']), str(entry['half']), log, labels)


def _labels(name: str, path: Path, count: int) -> list[Line]:
    if not path.is_file():
        raise CorpusError(f'{name}: no label file {path.name}')
    with path.open(encoding='utf-8', newline='') as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise CorpusError(f'{name}: label columns must be {",".join(COLUMNS)}')
        rows = list(reader)
    if [row['line'] for row in rows] != [str(number) for number in range(1, count + 1)]:
        raise CorpusError(f"{name}: labels must number the excerpt's {count} lines 1..{count} in order")
    lines = [_line(name, row) for row in rows]
    if not lines[0].starts_event:
        raise CorpusError(f'{name}: the first line must start an event')
    return lines


def _line(name: str, row: dict[str, str]) -> Line:
    where = f'{name} line {row["line"]}'
    if row['starts_event'] not in ('0', '1'):
        raise CorpusError(f'{where}: starts_event must be 0 or 1')
    line = Line(row['starts_event'] == '1', row['level_written'], row['level'], row['timestamp'], row['template'])
    if not line.starts_event and (line.level_written or line.level or line.timestamp or line.template):
        raise CorpusError(f'{where}: only a line that starts an event carries a level, timestamp or template')
    if line.level not in ('', *LEVELS) or bool(line.level) != bool(line.level_written):
        raise CorpusError(f'{where}: level must be one of {LEVELS} exactly when the format writes one')
    if line.timestamp:
        try:
            datetime.fromisoformat(line.timestamp.replace(NO_YEAR, '2000', 1))
        except ValueError as exc:
            raise CorpusError(f'{where}: timestamp {line.timestamp!r} is not ISO 8601') from exc
    return line
