"""The evidence digest: does it keep a planted incident, and what does it cost on a 1,000,000-line log?

Planted incidents (bench/planted.py): 30 logs of 100,000 ordinary service lines, each with one incident placed at a
seeded random line; `main.py analyze --prompt --budget 12000` keeps the incident when its root-cause line reaches
the evidence, and must send none of the secrets planted in it. On the same logs the offline analyzer
(`main.py analyze --diagnose` with no model configured) is right when its own words name every term its cause
lists (the cause and the remedy), as bench/incidents.py judges answers. Then the cost: the whole `main.py analyze`
process with and without `--prompt` on a 1,000,000-line mixed log (best of --repeat runs; the machine is shared),
and, in this process, the redacted prompt built from one analysis: its tokens and the time to build it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from incidents import IncidentError, answer_title, cli, lacking, reaches  # noqa: E402 - after the path set-up above
from planted import SECRET, planted  # noqa: E402

from parsers import ReadLimits  # noqa: E402
from parsers.digest import build_digest  # noqa: E402
from services.config import Settings  # noqa: E402
from services.diagnosis.offline import default_group  # noqa: E402
from services.diagnosis.prompt import build_prompt  # noqa: E402
from services.parsing import analyze_path  # noqa: E402

LINES = 1_000_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--cache', type=Path, default=ROOT / '.cache' / 'bench')
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--budget', type=int, default=12_000)
    parser.add_argument('--only', choices=('planted', 'cost'), help='run one of the two measurements')
    args = parser.parse_args()
    if args.only != 'cost' and Settings().gemini_api_key is not None:
        print('error: GEMINI_API_KEY is set: the planted incidents measure the offline analyzer; unset it',
              file=sys.stderr)
        return 1
    try:
        kept = args.only == 'cost' or _planted(args.budget)
    except IncidentError as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 1
    return 0 if kept and (args.only == 'planted' or _cost(args)) else 1


def _planted(budget: int) -> bool:
    """Root cause kept, secrets sent and offline answer right, per planted incident; True when all were kept and none
    was sent (the offline answers are reported, not required)."""
    kept, leaked, right = [], [], []
    with tempfile.TemporaryDirectory() as workdir:
        path = Path(workdir) / 'planted.log'
        for case in planted():
            path.write_text(case.log, encoding='utf-8')
            prompt = cli('analyze', str(path), '--prompt', '--budget', str(budget))
            kept.append(reaches(prompt, case.root_line))
            leaked.append(SECRET in prompt)
            answer = cli('analyze', str(path), '--diagnose')
            missing = lacking(answer, case.log, case.must_mention)
            right.append(not missing)
            lacks = f'offline lacks {", ".join(missing)} ("{answer_title(answer)}")'
            faults = [fault for fault, bad in (('root cause not in the digest', not kept[-1]),
                                               ('secret sent', leaked[-1]), (lacks, bool(missing))) if bad]
            if faults:
                print(f'  miss {case.name}: ' + '; '.join(faults))
    print(f'planted incidents in 100,000-line logs: root cause kept {sum(kept)}/{len(kept)} '
          f'(budget {budget:,} tokens), secrets sent {sum(leaked)}, offline right {sum(right)}/{len(right)}')
    return all(kept) and not any(leaked)


def _cost(args: argparse.Namespace) -> bool:
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
    started = time.perf_counter()
    build_digest(analysis, default_group(analysis), budget=args.budget)
    digest_seconds = time.perf_counter() - started
    print(f'prompt: {built.tokens:,} tokens (budget {args.budget:,}), {len(built.text):,} characters, '
          f'{len(analysis.groups):,} groups, built and redacted in {seconds * 1000:.0f} ms '
          f'(the digest alone {digest_seconds * 1000:.0f} ms)')
    return built.tokens <= args.budget and digest_seconds < 1


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
