"""How the engine reads log formats nobody tuned it for: figures on the evaluation corpus (bench/corpus).

Every excerpt goes through parsers.analyze_stream; its event sink gives each physical line its event, group, level and
the timestamp text the engine read. Per file, against the hand labels:
- level: events whose format writes a level, on which the engine's level is that level's usual name;
- ts found: events whose header carries a time, for which the engine read a timestamp;
- ts same: of those, the ones whose timestamp is the labelled time to the second (the zone too when both carry one;
  month to second when the format leaves out the year);
- boundary F1: lines that start an event, predicted against labelled;
- GA: grouping accuracy as bench/ga.py defines it, over the labelled events, on the files labelled with templates.
Each half (tune, heldout, fresh) reports the mean over its files of every figure the file has.
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime

from corpus import HALVES, NO_YEAR, CorpusError, CorpusFile, load, physical_lines
from ga import grouping_accuracy

from parsers import analyze_stream
from parsers.timestamps import parse_timestamp

FIGURES = ('level', 'ts found', 'ts same', 'boundary F1', 'GA')


@dataclass(slots=True)
class Predicted:
    """Per physical line number: the engine's group, level and raw timestamp; and the lines that start its events.

    Keyed by line: the engine hands over an event when it completes, not always in the order the events began.
    """

    group: dict[int, int] = field(default_factory=dict)
    level: dict[int, str] = field(default_factory=dict)
    timestamp: dict[int, str | None] = field(default_factory=dict)
    starts: set[int] = field(default_factory=set)

    def __call__(self, first: int, last: int, group: int, level: str, timestamp: str | None) -> None:
        self.starts.add(first)
        for line in range(first, last + 1):
            self.group[line] = group
            self.level[line] = level
            self.timestamp[line] = timestamp


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--half', choices=HALVES, help='only this half of the corpus')
    parser.add_argument('--misses', type=int, default=0, metavar='N',
                        help='after each file, print up to N labelled lines the engine read otherwise')
    parser.add_argument('--show', metavar='FILE',
                        help="print the groups of one file's labelled events that the engine got wrong, and exit")
    args = parser.parse_args()
    try:
        files = load()
    except CorpusError as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 1
    if args.show:
        return _show(files, args.show)
    for half in HALVES:
        if args.half in (None, half):
            _report(half, [corpus_file for corpus_file in files if corpus_file.half == half], args.misses)
    return 0


def score(corpus_file: CorpusFile, misses: list[str] | None = None) -> dict[str, float | None]:
    """The file's figures (None where it has nothing to measure); `misses` collects the disagreements."""
    predicted = Predicted()
    analyze_stream(io.BytesIO(corpus_file.log.read_bytes()), on_event=predicted)
    notes = misses if misses is not None else []
    labelled = [(number, corpus_file.labels[number - 1]) for number in corpus_file.starts]
    written = [(number, line) for number, line in labelled if line.level]
    level_hits = [predicted.level[number] == line.level for number, line in written]
    notes += [f'  line {number}: level {predicted.level[number] or "-"}, format writes {line.level_written}'
              for (number, line), hit in zip(written, level_hits, strict=True) if not hit]
    timed = [(number, line) for number, line in labelled if line.timestamp]
    found = [predicted.timestamp[number] for number, _ in timed]
    same = [raw is not None and _same_time(raw, line.timestamp) for raw, (_, line) in zip(found, timed, strict=True)]
    notes += [f'  line {number}: timestamp {raw!r}, labelled {line.timestamp}'
              for raw, ok, (number, line) in zip(found, same, timed, strict=True) if not ok]
    truth_starts = set(corpus_file.starts)
    notes += [f'  line {number}: {"starts" if number in truth_starts else "continues"} an event, the engine says '
              f'otherwise' for number in sorted(truth_starts ^ predicted.starts)]
    figures: dict[str, float | None] = {
        'level': _share(level_hits),
        'ts found': _share([raw is not None for raw in found]),
        'ts same': _share(same),
        'boundary F1': _f1(truth_starts, predicted.starts),
        'GA': None,
    }
    if corpus_file.has_templates:
        truth = {number: line.template for number, line in labelled}
        figures['GA'] = grouping_accuracy(truth, {number: str(predicted.group[number]) for number in truth})
    return figures


def _report(half: str, files: list[CorpusFile], misses: int) -> None:
    print(f'{half} half ({len(files)} formats)')
    print(f'  {"file":<24}{"lines":>6}' + ''.join(f'{name:>13}' for name in FIGURES))
    columns: dict[str, list[float]] = {name: [] for name in FIGURES}
    for corpus_file in files:
        notes: list[str] = []
        figures = score(corpus_file, notes)
        for name, value in figures.items():
            if value is not None:
                columns[name].append(value)
        cells = ''.join(_cell(figures[name]) for name in FIGURES)
        print(f'  {corpus_file.name:<24}{len(corpus_file.labels):>6}{cells}')
        for note in notes[:misses]:
            print(f'    {note}')
    means = {name: sum(values) / len(values) if values else None for name, values in columns.items()}
    print(f'  {"mean":<30}' + ''.join(_cell(means[name]) for name in FIGURES))
    print(f'  {"files measured":<30}' + ''.join(f'{len(columns[name]):>13}' for name in FIGURES))
    print()


def _show(files: list[CorpusFile], name: str) -> int:
    """Each labelled template whose lines the engine did not group exactly, with the engine's groups of them."""
    chosen = next((corpus_file for corpus_file in files if corpus_file.name == name), None)
    if chosen is None or not chosen.has_templates:
        print(f'error: no file {name!r} labelled with templates in the corpus', file=sys.stderr)
        return 1
    predicted = Predicted()
    analyze_stream(io.BytesIO(chosen.log.read_bytes()), on_event=predicted)
    text = physical_lines(chosen.log)
    truth = {number: chosen.labels[number - 1].template for number in chosen.starts}
    labelled: dict[str, list[int]] = {}
    grouped: dict[int, list[int]] = {}
    for number, template in truth.items():
        labelled.setdefault(template, []).append(number)
        grouped.setdefault(predicted.group[number], []).append(number)
    for template, numbers in labelled.items():
        groups = sorted({predicted.group[number] for number in numbers})
        if len(groups) == 1 and grouped[groups[0]] == numbers:
            continue
        print(f'template {template}: lines {numbers}')
        for group in groups:
            for number in grouped[group]:
                mark = ' ' if truth[number] == template else '!'
                print(f'  {mark} group {group:<4} line {number:<5} {text[number - 1][:150]}')
    return 0


def _same_time(raw: str, labelled: str) -> bool:
    moment = parse_timestamp(raw, 2000)
    if moment is None:
        return False
    if labelled.startswith(NO_YEAR):
        truth = datetime.fromisoformat(labelled.replace(NO_YEAR, '2000', 1))
        return moment.replace(year=2000, microsecond=0, tzinfo=None) == truth.replace(microsecond=0)
    truth = datetime.fromisoformat(labelled)
    if truth.tzinfo is not None and moment.tzinfo is not None:
        return moment.astimezone(UTC).replace(microsecond=0) == truth.astimezone(UTC).replace(microsecond=0)
    # A zone on one side only: the wall-clock time read must still be the one written.
    return moment.replace(microsecond=0, tzinfo=None) == truth.replace(microsecond=0, tzinfo=None)


def _share(hits: list[bool]) -> float | None:
    return sum(hits) / len(hits) if hits else None


def _f1(truth: set[int], predicted: set[int]) -> float:
    both = len(truth & predicted)
    return 2 * both / (len(truth) + len(predicted)) if truth or predicted else 1.0


def _cell(value: float | None) -> str:
    return f'{value:>13.3f}' if value is not None else f'{"-":>13}'


if __name__ == '__main__':
    sys.exit(main())
