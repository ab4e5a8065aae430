"""Real incidents from public issue threads: does the offline analyzer name them, and does the digest keep them?

Each `incidents/NNNN-<name>.toml` holds a log excerpt exactly as it was posted in a public thread, the thread's
address, the cause and fix the thread established, the failure class, the lines of the excerpt that show the root
cause and the terms a right diagnosis must mention. `half = 'tune'` incidents may guide work on the analyzer and the
digest; `half = 'held-out'` ones are only measured and reported. `half = 'fresh'` ones were collected, with their
terms, after the analyzer and the digest had been tuned on the other two, and were committed before their first run:
nobody has looked at them while changing the engine, so they are the clean held-out measurement.

For every incident, through the CLI's own entry point (`main.main`):
- offline: `analyze FILE --diagnose` with no model configured is right when its own words (the answer less the code
  blocks and the log text it quotes) mention every must_mention term (`a|b` accepts either); a wrong answer that
  states high confidence is counted apart, as confidently wrong;
- alone: `analyze FILE --prompt --budget 12000` keeps the incident when a root-cause line reaches the evidence;
- buried: the same, with the excerpt inserted at a seeded random line of a 64,000-line log made of other systems'
  ordinary logs (Loghub-2k, concatenated and repeated).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import re
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent / 'incidents'
sys.path.insert(0, str(ROOT.parents[1]))

HALVES = ('tune', 'held-out', 'fresh')
CLASSES = (
    'configuration', 'permissions', 'resource-limit', 'network', 'lock', 'corrupt-data', 'version-mismatch',
    'port-in-use', 'architecture', 'crash-loop', 'migration', 'auth',
)
FIELDS = ('source', 'system', 'failure_class', 'cause', 'fix', 'root_cause_lines', 'must_mention', 'half', 'log')
MIN_LINES, MAX_LINES = 3, 80
# A public thread: a GitHub issue, pull request or discussion, or a Stack Exchange question.
SOURCE = re.compile(
    r'https://github\.com/[\w.-]+/[\w.-]+/(issues|pull|discussions)/\d+'
    r'|https://([\w-]+\.)?(stackoverflow|serverfault|superuser|askubuntu|stackexchange)\.com/questions/\d+(/[\w-]*)?'
)
BUDGET = 12_000
HAYSTACK_LINES = 64_000
SEED = 13
# A line reaches the evidence when one evidence line holds this share of its words (redaction and templating may
# change the rest); only the start of a long line counts, as the digest may shorten it.
KEPT_SHARE = 0.8
LINE_CHARS = 200
_WORD = re.compile(r'[A-Za-z][A-Za-z0-9_.:/-]{2,}')
_FENCE = re.compile(r'```.*?```', re.DOTALL)
_CODE_SPAN = re.compile(r'`([^`\n]+)`')
# A numbered log line as answers quote them: `    12 | text`.
_EXCERPT_LINE = re.compile(r'^\s*\d+ \|')
_HIGH_CONFIDENCE = re.compile(r'^Confidence: \*\*high\*\*', re.MULTILINE)


class IncidentError(ValueError):
    """An incident file is incomplete or does not describe its excerpt."""


@dataclass(frozen=True, slots=True)
class Incident:
    name: str
    source: str
    system: str
    failure_class: str
    cause: str
    fix: str
    root_cause_lines: tuple[int, ...]
    must_mention: tuple[str, ...]
    half: str
    log: str

    @property
    def lines(self) -> list[str]:
        return self.log.splitlines()

    @property
    def root_lines(self) -> list[str]:
        return [self.lines[number - 1] for number in self.root_cause_lines]


def load(root: Path = ROOT) -> list[Incident]:
    """Every incident file, checked; IncidentError names the file and its first fault."""
    return [_incident(path) for path in sorted(root.glob('*.toml'))]


def _incident(path: Path) -> Incident:
    name = path.stem
    try:
        raw = tomllib.loads(path.read_text(encoding='utf-8'))
    except tomllib.TOMLDecodeError as exc:
        raise IncidentError(f'{name}: not TOML: {exc}') from exc
    missing = [field for field in FIELDS if not raw.get(field)]
    if missing:
        raise IncidentError(f'{name}: missing {", ".join(missing)}')
    if not SOURCE.fullmatch(raw['source']):
        raise IncidentError(f'{name}: source {raw["source"]!r} is not the address of a public thread')
    if raw['failure_class'] not in CLASSES:
        raise IncidentError(f'{name}: failure_class {raw["failure_class"]!r} is not one of {", ".join(CLASSES)}')
    if raw['half'] not in HALVES:
        raise IncidentError(f'{name}: half {raw["half"]!r} is not one of {", ".join(HALVES)}')
    count = len(raw['log'].splitlines())
    if not MIN_LINES <= count <= MAX_LINES:
        raise IncidentError(f'{name}: the log has {count} lines, not {MIN_LINES}-{MAX_LINES}')
    lines = raw['log'].splitlines()
    for number in raw['root_cause_lines']:
        if not isinstance(number, int) or not 1 <= number <= count or not lines[number - 1].strip():
            raise IncidentError(f'{name}: root cause line {number} is not a non-empty line of the {count}-line log')
    terms = raw['must_mention']
    if not 2 <= len(terms) <= 4 or not all(isinstance(term, str) and term.strip('| ') for term in terms):
        raise IncidentError(f'{name}: must_mention needs 2-4 terms')
    return Incident(
        name=name, source=raw['source'], system=raw['system'], failure_class=raw['failure_class'],
        cause=raw['cause'], fix=raw['fix'], root_cause_lines=tuple(raw['root_cause_lines']),
        must_mention=tuple(terms), half=raw['half'], log=raw['log'],
    )


def missing_terms(answer: str, incident: Incident) -> list[str]:
    """The must_mention terms the answer's own words lack (case-insensitive; `a|b` is either)."""
    return lacking(answer, incident.log, incident.must_mention)


def lacking(answer: str, log: str, terms: Sequence[str]) -> list[str]:
    """The terms that the answer's own words about `log` lack (case-insensitive; `a|b` is either)."""
    words = own_words(answer, log).lower()
    return [term for term in terms if not any(option.lower() in words for option in term.split('|') if option)]


def own_words(answer: str, log: str) -> str:
    """The answer without what it quotes from the log: excerpt lines, and code spans, code lines and lines made of
    log words. The commands an answer writes in a code block are its own words, as its prose is."""
    log_words = set(log.split())

    def quoted(text: str) -> bool:
        tokens = text.split()
        return sum(token in log_words for token in tokens) * 2 >= len(tokens)

    def span(found: re.Match[str]) -> str:
        return ' ' if quoted(found[1]) else found[1]

    def block(found: re.Match[str]) -> str:
        lines = found[0].split('\n')[1:-1]
        return '\n'.join(line for line in lines if not _EXCERPT_LINE.match(line) and not quoted(line))

    text = _CODE_SPAN.sub(span, _FENCE.sub(block, answer))
    for line in sorted({line.strip() for line in log.splitlines() if len(line.strip()) >= 20}, key=len, reverse=True):
        text = text.replace(line, ' ')
    return text


def reaches(evidence: str, line: str) -> bool:
    """Whether one line of the evidence holds the words of this log line (KEPT_SHARE of them)."""
    words = set(_WORD.findall(line[:LINE_CHARS]))
    if not words:
        return line.strip() in evidence
    need = KEPT_SHARE * len(words)
    return any(len(words & set(_WORD.findall(shown))) >= need for shown in evidence.splitlines())


def haystack(loghub: Path, lines: int = HAYSTACK_LINES) -> list[str]:
    """Other systems' ordinary logs: every Loghub-2k log concatenated, repeated up to `lines` lines."""
    base = [line for path in sorted(loghub.glob('*/*_2k.log'))
            for line in path.read_text(encoding='utf-8', errors='replace').splitlines()]
    if not base:
        raise IncidentError(f'no Loghub-2k logs (*/*_2k.log) under {loghub}')
    return (base * (lines // len(base) + 1))[:lines]


def bury(incident: Incident, hay: list[str], seed: int) -> str:
    """The excerpt inserted whole at a random line of the haystack, the same place on every run."""
    at = random.Random(f'{seed}:{incident.name}').randrange(len(hay) + 1)
    return '\n'.join([*hay[:at], *incident.lines, *hay[at:]]) + '\n'


def cli(*argv: str) -> str:
    """What `python main.py ARGV` prints; its error message when it fails."""
    from main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    if code != 0:
        raise IncidentError(f'main.py {" ".join(argv)}: {err.getvalue().strip()}')
    return out.getvalue()


@dataclass(slots=True)
class Result:
    incident: Incident
    missing: list[str]
    alone: bool
    buried: bool | None  # None when the buried run was skipped
    answer_title: str
    confident: bool  # the answer states high confidence


def measure(incident: Incident, hay: list[str] | None, seed: int, workdir: Path) -> Result:
    path = workdir / f'{incident.name}.log'
    path.write_text(incident.log if incident.log.endswith('\n') else incident.log + '\n', encoding='utf-8')
    answer = cli('analyze', str(path), '--diagnose')
    alone = _kept(cli('analyze', str(path), '--prompt', '--budget', str(BUDGET)), incident)
    buried = None
    if hay is not None:
        path.write_text(bury(incident, hay, seed), encoding='utf-8')
        buried = _kept(cli('analyze', str(path), '--prompt', '--budget', str(BUDGET)), incident)
    return Result(incident, missing_terms(answer, incident), alone, buried, answer_title(answer),
                  bool(_HIGH_CONFIDENCE.search(answer)))


def _kept(prompt: str, incident: Incident) -> bool:
    return any(reaches(prompt, line) for line in incident.root_lines)


def answer_title(answer: str) -> str:
    """The first line of prose of an answer, for a report."""
    summary = next((line for line in answer.splitlines() if line.strip() and not line.startswith('#')), '')
    return summary[:120]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--loghub', type=Path, help='the Loghub-2k folder, for the buried runs (skipped without it)')
    parser.add_argument('--seed', type=int, default=SEED, help=f'where each excerpt is buried (default {SEED})')
    parser.add_argument('--only', metavar='NAME', help='only the incidents whose file name contains NAME')
    args = parser.parse_args()
    from services.config import Settings

    try:
        if Settings().gemini_api_key is not None:
            raise IncidentError('GEMINI_API_KEY is set: this measures the offline analyzer; unset it')
        incidents = [incident for incident in load() if not args.only or args.only in incident.name]
        hay = haystack(args.loghub) if args.loghub else None
        with tempfile.TemporaryDirectory() as workdir:
            results = [measure(incident, hay, args.seed, Path(workdir)) for incident in _progress(incidents)]
    except IncidentError as exc:
        print(f'error: {exc}', file=sys.stderr)
        return 1
    _report(results, buried=hay is not None)
    return 0


def _progress(incidents: list[Incident]) -> Iterator[Incident]:
    for number, incident in enumerate(incidents, start=1):
        print(f'[{number}/{len(incidents)}] {incident.name}', file=sys.stderr, flush=True)
        yield incident


def _report(results: list[Result], *, buried: bool) -> None:
    print(f'Real incidents from public threads: {len(results)} (budget {BUDGET:,} tokens; buried in '
          f'{HAYSTACK_LINES:,} Loghub-2k lines)' if buried else f'Real incidents from public threads: {len(results)}')
    for half in HALVES:
        part = [result for result in results if result.incident.half == half]
        if not part:
            continue
        figures = [
            ('offline right', lambda result: not result.missing),
            ('confidently wrong', lambda result: bool(result.missing) and result.confident),
            ('digest kept alone', lambda result: result.alone),
        ]
        if buried:
            figures.append(('digest kept buried', lambda result: bool(result.buried)))
        print(f'\n{half} ({len(part)}): ' + ', '.join(f'{label} {_count(part, test)}/{len(part)}'
                                                      for label, test in figures))
        for result in part:
            faults = []
            if result.missing:
                confidently = ' with high confidence' if result.confident else ''
                faults.append(f'offline lacks {", ".join(result.missing)}{confidently} ("{result.answer_title}")')
            if not result.alone:
                faults.append('root cause not in the digest')
            if buried and not result.buried:
                faults.append('root cause lost when buried')
            if faults:
                print(f'  miss {result.incident.name} [{result.incident.failure_class}]: ' + '; '.join(faults))


def _count(results: list[Result], test: Callable[[Result], bool]) -> int:
    return sum(test(result) for result in results)


if __name__ == '__main__':
    sys.exit(main())
