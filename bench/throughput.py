"""Throughput and memory, whole processes timed side by side on the same generated files.

1. 1,000,000 mixed lines: `main.py analyze` against Drain3 (default settings). Drain3 gets the same file minus its
   compact JSON lines, on which it stalls (every such line becomes its own cluster).
2. 1,000,000 nginx combined lines: `main.py analyze` against lnav extracting every field with SQL.
3. Peak RSS of `main.py analyze` on a 3,000,000-line mixed file.
Each timing is repeated; the machine is shared, so the range is printed, and the best run is used for ratios.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAIN = ROOT / 'main.py'
LNAV_SQL = ';SELECT count(*), count(DISTINCT sc_status), sum(sc_bytes) FROM access_log'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--cache', type=Path, default=ROOT / '.cache' / 'bench')
    parser.add_argument('--drain3-python', type=Path, required=True, help='a Python with drain3 installed')
    parser.add_argument('--repeat', type=int, default=3, help='runs of each fast contender')
    parser.add_argument('--drain3-repeat', type=int, default=1, help='runs of Drain3 (slow)')
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    mixed = _generated(args.cache, 'mixed', 1_000_000)
    nginx = _generated(args.cache, 'nginx', 1_000_000)
    big = _generated(args.cache, 'mixed', 3_000_000)
    no_json = args.cache / 'mixed-1000000-no-json.log'
    if not no_json.exists():
        with mixed.open(encoding='utf-8') as source, no_json.open('w', encoding='utf-8') as out:
            out.writelines(line for line in source if not line.startswith('{'))
    drain3_lines = _count(no_json)

    print('== 1M mixed lines')
    ours = _timed('LogSentry', [sys.executable, str(MAIN), 'analyze', str(mixed)], 1_000_000, args.repeat)
    theirs = _timed(f'Drain3 ({drain3_lines} lines: JSON lines left out)',
                    [str(args.drain3_python), str(ROOT / 'bench' / 'drain3_run.py'), str(no_json)],
                    drain3_lines, args.drain3_repeat)
    print(f'ratio LogSentry / Drain3: {ours / theirs:.1f}x')

    print('== 1M nginx combined lines')
    ours = _timed('LogSentry', [sys.executable, str(MAIN), 'analyze', str(nginx)], 1_000_000, args.repeat)
    lnav = shutil.which('lnav')
    if lnav is None:
        print('lnav: not installed, skipped')
    else:
        theirs = _timed('lnav', [lnav, '-n', '-c', LNAV_SQL, str(nginx)], 1_000_000, args.repeat)
        print(f'ratio LogSentry / lnav: {ours / theirs:.2f}x')

    print('== peak memory, 3M mixed lines')
    peak = _peak_rss_mb([sys.executable, str(MAIN), 'analyze', str(big)])
    print(f'LogSentry peak RSS (all its processes): {peak:.0f} MB')
    return 0


def _peak_rss_mb(command: list[str]) -> float:
    """Peak of the summed RSS of the command and its worker processes, sampled every 20 ms from /proc.

    RUSAGE_CHILDREN would report only the largest single process, while big files are read by several.
    """
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak_kb = 0
    while process.poll() is None:
        peak_kb = max(peak_kb, _tree_rss_kb(process.pid))
        time.sleep(0.02)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return peak_kb / 1024


def _tree_rss_kb(root: int) -> int:
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            status = Path(f'/proc/{pid}/status').read_text()
            total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith('VmRSS:')), 0)
            for task in Path(f'/proc/{pid}/task').iterdir():
                pending.extend(int(child) for child in (task / 'children').read_text().split())
        except OSError:  # the process ended while it was being read
            continue
    return total


def _generated(cache: Path, kind: str, lines: int) -> Path:
    path = cache / f'{kind}-{lines}.log'
    if not path.exists():
        subprocess.run([sys.executable, str(ROOT / 'bench' / 'generate.py'), kind, str(lines), str(path)], check=True)
    return path


def _count(path: Path) -> int:
    with path.open('rb') as handle:
        return sum(chunk.count(b'\n') for chunk in iter(lambda: handle.read(1 << 20), b''))


def _timed(name: str, command: list[str], lines: int, repeat: int) -> float:
    """Lines per second of the best run; every run is printed."""
    rates = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        rates.append(lines / (time.perf_counter() - start))
    spread = f'{min(rates):,.0f}-{max(rates):,.0f}' if len(rates) > 1 else f'{rates[0]:,.0f}'
    print(f'{name}: {spread} lines/s over {len(rates)} run(s)')
    return max(rates)


if __name__ == '__main__':
    sys.exit(main())
