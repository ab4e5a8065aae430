"""Grouping accuracy on the Loghub-2k systems: the raw .log through `main.py analyze --lines-csv`, GA per system.

GA (Zhu et al., ICSE-SEIP 2019): a predicted group counts only when its set of lines equals the set of lines of
one labelled EventId; GA = lines in such groups / all lines.

`--leave-one-out`: the one setting grouping has (TEMPLATE_SIMILARITY) is chosen on seven systems and scored on
the eighth, for each system in turn; nothing else is set per system. It shows what the dev-set figure would
be on a system nobody tuned for.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

SYSTEMS = ('HDFS', 'Hadoop', 'Spark', 'Zookeeper', 'Apache', 'OpenSSH', 'HealthApp', 'Android')
MAIN = Path(__file__).resolve().parents[1] / 'main.py'
SIMILARITIES = (0.5, 0.6, 0.7, 0.8, 0.9)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('data', type=Path, help='the loghub-2k folder (one sub-folder per system)')
    parser.add_argument('--show-errors', type=int, default=0, metavar='N', help='print N wrongly grouped templates')
    parser.add_argument('--leave-one-out', action='store_true', help='choose the similarity on 7, score the 8th')
    args = parser.parse_args()
    if args.leave_one_out:
        return _leave_one_out(args.data)
    scores = []
    for system in SYSTEMS:
        folder = args.data / system
        truth = _truth(folder / f'{system}_2k.log_structured.csv')
        predicted = _predict(folder / f'{system}_2k.log')
        score = grouping_accuracy(truth, predicted)
        scores.append(score)
        print(f'{system:<10} GA {score:.4f}')
        if args.show_errors:
            _show_errors(truth, predicted, args.show_errors)
    print(f'{"average":<10} GA {sum(scores) / len(scores):.4f}')
    return 0


def _leave_one_out(data: Path) -> int:
    truths = {system: _truth(data / system / f'{system}_2k.log_structured.csv') for system in SYSTEMS}
    table = {(system, similarity): grouping_accuracy(truths[system], _predict(data / system / f'{system}_2k.log',
                                                                             similarity))
             for system in SYSTEMS for similarity in SIMILARITIES}
    print(f'{"similarity":<10} ' + ' '.join(f'{similarity:>6}' for similarity in SIMILARITIES))
    for system in SYSTEMS:
        print(f'{system:<10} ' + ' '.join(f'{table[system, similarity]:6.4f}' for similarity in SIMILARITIES))
    held_out = []
    for system in SYSTEMS:
        others = [other for other in SYSTEMS if other != system]
        chosen = max(SIMILARITIES, key=lambda similarity: sum(table[other, similarity] for other in others))
        held_out.append(table[system, chosen])
        print(f'{system:<10} held out: similarity {chosen} chosen on the other seven, GA {table[system, chosen]:.4f}')
    print(f'{"average":<10} GA {sum(held_out) / len(held_out):.4f} (leave one system out)')
    return 0


def grouping_accuracy(truth: dict[int, str], predicted: dict[int, str]) -> float:
    truth_sets = _invert(truth)
    predicted_sets = _invert(predicted)
    by_line_truth = {line: frozenset(truth_sets[event]) for line, event in truth.items()}
    correct = 0
    for lines in predicted_sets.values():
        members = frozenset(lines)
        if by_line_truth.get(next(iter(members))) == members:
            correct += len(members)
    return correct / len(truth)


def _truth(path: Path) -> dict[int, str]:
    with path.open(encoding='utf-8', newline='') as handle:
        return {int(row['LineId']): row['EventId'] for row in csv.DictReader(handle)}


def _predict(log: Path, similarity: float | None = None) -> dict[int, str]:
    env = dict(os.environ)
    if similarity is not None:
        env['TEMPLATE_SIMILARITY'] = str(similarity)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / 'lines.csv'
        subprocess.run([sys.executable, str(MAIN), 'analyze', str(log), '--lines-csv', str(out)], check=True,
                       stdout=subprocess.DEVNULL, env=env)
        with out.open(encoding='utf-8', newline='') as handle:
            return {int(row['LineId']): row['GroupId'] for row in csv.DictReader(handle)}


def _invert(mapping: dict[int, str]) -> dict[str, set[int]]:
    inverted: dict[str, set[int]] = defaultdict(set)
    for line, label in mapping.items():
        inverted[label].add(line)
    return inverted


def _show_errors(truth: dict[int, str], predicted: dict[int, str], limit: int) -> None:
    truth_sets = _invert(truth)
    shown = 0
    for event, lines in sorted(truth_sets.items(), key=lambda item: -len(item[1])):
        groups = {predicted.get(line) for line in lines}
        exact = len(groups) == 1 and _invert(predicted)[next(iter(groups)) or ''] == lines
        if not exact and shown < limit:
            shown += 1
            print(f'    {event} ({len(lines)} lines) -> {len(groups)} groups, first line {min(lines)}')


if __name__ == '__main__':
    sys.exit(main())
