"""How big a saved analysis is: the JSON stored for each log of a folder (one sub-folder per system, its log the
`*.log` file in it, as Loghub-2k is laid out), redacted as saving redacts it, with the default settings.

Printed per log: its lines, the stored JSON in KiB, and the part of it that is kept log lines (excerpts and kept
lines; 0 when the analysis keeps none apart from its groups).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.config import AnalysisSettings  # noqa: E402 - after the path set-up above
from services.diagnosis.redaction import redact_analysis  # noqa: E402
from services.parsing import analyze_path, read_limits  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('data', type=Path, help='a folder with one sub-folder per system, each holding a *.log')
    limits = read_limits(AnalysisSettings())
    print(f'{"log":<14}{"lines":>8}{"stored KiB":>12}{"kept lines KiB":>16}')
    total = 0
    for log in sorted(parser.parse_args().data.glob('*/*.log')):
        stored = redact_analysis(analyze_path(log, limits)).to_dict()
        size = len(json.dumps(stored).encode())
        kept = size - len(json.dumps({**stored, 'kept_lines': {}, 'groups': [
            {**group, 'excerpts': []} for group in stored['groups']]}).encode())
        total += size
        print(f'{log.parent.name:<14}{stored["lines"]:>8,}{size / 1024:>12,.0f}{kept / 1024:>16,.0f}')
    print(f'{"all":<14}{"":>8}{total / 1024:>12,.0f}')


if __name__ == '__main__':
    main()
