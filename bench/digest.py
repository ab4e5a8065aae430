"""The evidence digest on a 1,000,000-line mixed log: what `--prompt` adds to the analysis, and the prompt's size.

Times the whole `main.py analyze` process with and without `--prompt` (best of --repeat runs; the machine is
shared), then, in this process, builds the redacted prompt from one analysis and reports its tokens and time.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parsers import ReadLimits  # noqa: E402 - after the path set-up above
from services.diagnosis.offline import default_group  # noqa: E402
from services.diagnosis.prompt import build_prompt  # noqa: E402
from services.parsing import analyze_path  # noqa: E402

LINES = 1_000_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--cache', type=Path, default=ROOT / '.cache' / 'bench')
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--budget', type=int, default=12_000)
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    log = args.cache / f'mixed-{LINES}.log'
    if not log.exists():
        subprocess.run([sys.executable, str(ROOT / 'bench' / 'generate.py'), 'mixed', str(LINES), str(log)], check=True)
    analyze = [sys.executable, str(ROOT / 'main.py'), 'analyze', str(log)]
    plain, prompt = _best([analyze, [*analyze, '--prompt', '--budget', str(args.budget)]], args.repeat)
    print(f'analyze {LINES:,} lines: {plain:.2f} s; with --prompt: {prompt:.2f} s (+{prompt - plain:.2f} s)')
    analysis = analyze_path(log, ReadLimits())
    started = time.perf_counter()
    built = build_prompt(analysis, default_group(analysis), budget=args.budget)
    seconds = time.perf_counter() - started
    print(f'prompt: {built.tokens:,} tokens (budget {args.budget:,}), {len(built.text):,} characters, '
          f'{len(analysis.groups):,} groups, built and redacted in {seconds * 1000:.0f} ms')
    return 0 if built.tokens <= args.budget else 1


def _best(commands: list[list[str]], repeat: int) -> list[float]:
    """Best time of each command, runs interleaved so that load from other work hits all of them alike."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(repeat):
        for command, kept in zip(commands, times, strict=True):
            started = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            kept.append(time.perf_counter() - started)
    return [min(kept) for kept in times]


if __name__ == '__main__':
    sys.exit(main())
