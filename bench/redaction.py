"""Secrets planted in a generated 100,000-line mixed log: how many reach the evidence a model is sent, and what
redaction costs.

For each seed, secrets of the forms below (fresh random values of each provider's documented shape) are logged as
ERROR lines, each a few hundred times, at random places of `generate.py mixed`; the analysis and the prompt are built
as `main.py analyze FILE --prompt` builds them. Counted per run: planted values the digest carries before redaction,
and those still in the prompt. Then redaction alone is timed on one run's digest, on 12,000 tokens of its log and on
every line of the log (as a kept upload is redacted).
"""

from __future__ import annotations

import argparse
import base64
import random
import string
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / 'bench'))

from generate import lines as generated_lines  # noqa: E402 - after the path set-up above

from parsers import ReadLimits  # noqa: E402
from parsers.digest import build_digest, estimate_tokens  # noqa: E402
from services.diagnosis.offline import default_group  # noqa: E402
from services.diagnosis.prompt import build_prompt  # noqa: E402
from services.diagnosis.redaction import Redactor, redact  # noqa: E402
from services.parsing import analyze_path  # noqa: E402

ALNUM = string.ascii_letters + string.digits
HEX = '0123456789abcdef'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--seeds', type=int, default=30)
    parser.add_argument('--lines', type=int, default=100_000)
    parser.add_argument('--budget', type=int, default=12_000)
    args = parser.parse_args()
    carried_total = leaked_total = 0
    leaked_forms: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / 'planted.log'
        for seed in range(args.seeds):
            planted = _write_log(log, seed, args.lines)
            analysis = analyze_path(log, ReadLimits())
            group = default_group(analysis)
            carried_text = build_digest(analysis, group, budget=args.budget).text
            prompt = build_prompt(analysis, group, budget=args.budget).text
            carried = [form for form, value in planted if value in carried_text]
            leaked = [form for form, value in planted if value in prompt]
            carried_total += len(carried)
            leaked_total += len(leaked)
            leaked_forms.update(leaked)
            print(f'seed {seed:2}: {len(planted)} planted, {len(carried)} in the digest, {len(leaked)} in the prompt')
            if seed == 0:
                digest, log_lines = carried_text, log.read_text(encoding='utf-8').splitlines()
    print(f'{args.seeds} runs of {args.lines:,} lines: {carried_total} planted secrets in the digest before redaction, '
          f'{leaked_total} reached the prompt' + (f' ({dict(leaked_forms)})' if leaked_forms else ''))
    _time_redaction(digest, log_lines, args.budget)
    return 1 if leaked_total else 0


def _write_log(log: Path, seed: int, count: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    planted = [(name, make(rng), template) for name, make, template in FORMS]
    lines = list(generated_lines('mixed', count, seed))
    for name, value, template in planted:
        line = (f'2026-11-26 09:{rng.randrange(60):02}:{rng.randrange(60):02},{rng.randrange(1000):03} ERROR '
                f'[{name.split()[0]}] {template(value)}')
        for _ in range(rng.randrange(*PLANTED_TIMES)):
            lines.insert(rng.randrange(len(lines)), line)
    del lines[count:]  # the log keeps its length; a planted line cut off here is no longer counted as planted
    text = '\n'.join(lines) + '\n'
    log.write_text(text, encoding='utf-8')
    return [(name, value) for name, value, _template in planted if value in text]


def _time_redaction(digest: str, log_lines: list[str], budget: int) -> None:
    best = min(_seconds(lambda: redact(digest)) for _ in range(5))
    print(f"redacting one run's digest ({estimate_tokens(digest):,} tokens): {best * 1000:.1f} ms")
    # That digest stays under the budget (few groups); a full one is as much log text, here the log's first lines.
    full, tokens = [], 0
    for line in log_lines:
        if tokens >= budget:
            break
        full.append(line)
        tokens += estimate_tokens(line + '\n')
    text = '\n'.join(full)
    best = min(_seconds(lambda: redact(text)) for _ in range(5))
    print(f'redacting {estimate_tokens(text):,} tokens of the log ({len(full):,} lines): {best * 1000:.1f} ms')

    def whole_log() -> None:
        redactor = Redactor()
        for line in log_lines:
            redactor.redact(line)
    best = min(_seconds(whole_log) for _ in range(3))
    print(f'redacting all {len(log_lines):,} lines one by one: {best * 1000:.0f} ms '
          f'({best / len(log_lines) * 1e6:.1f} µs a line)')


def _seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _text(rng: random.Random, chars: str, length: int) -> str:
    return ''.join(rng.choice(chars) for _ in range(length))


def _password(rng: random.Random) -> str:
    return rng.choice(('Tr0ub4dor', 'hunter', 'S3cure', 'kX9#mQ')) + _text(rng, string.digits, 2) + rng.choice('!-_#')


def _card(rng: random.Random) -> str:
    prefix, length, separator = rng.choice((('4', 16, ' '), ('55', 16, '-'), ('37', 15, ''), ('6011', 16, ' ')))
    digits = [int(char) for char in prefix] + [rng.randrange(10) for _ in range(length - len(prefix) - 1)]
    total = sum(digit * 2 - 9 * (digit > 4) if index % 2 == 0 else digit
                for index, digit in enumerate(reversed(digits)))
    number = ''.join(map(str, [*digits, -total % 10]))
    return separator.join(number[start:start + 4] for start in range(0, length, 4)) if separator else number


# Each form: a name, a value of its documented shape and the line that logs it.
FORMS: list[tuple[str, Callable[[random.Random], str], Callable[[str], str]]] = [
    ('aws secret key', lambda rng: _text(rng, ALNUM + '/+', 40),
     lambda value: f's3 upload denied, aws_secret_access_key={value}'),
    ('aws secret key quoted', lambda rng: _text(rng, ALNUM + '/+', 40),
     lambda value: f'settings AWS_SECRET_ACCESS_KEY: "{value}"'),
    ('card number', _card,
     lambda value: f'charge failed card={value} amount=20'),
    ('card number in a sentence', _card,
     lambda value: f'payment declined for card {value}.'),
    ('db password', _password,
     lambda value: f'env DB_PASSWORD={value} DB_HOST=db'),
    ('pg password', _password,
     lambda value: f'running PGPASSWORD={value} pg_dump orders'),
    ('mysql password', _password,
     lambda value: f'MYSQL_PWD={value} mysqldump failed'),
    ('api key header', lambda rng: _text(rng, ALNUM, 32),
     lambda value: f'upstream 401 with headers X-API-Key: {value}'),
    ('openai key', lambda rng: 'sk-proj-' + _text(rng, ALNUM, 74) + 'T3BlbkFJ' + _text(rng, ALNUM, 74),
     lambda value: f'openai 401 for key {value}'),
    ('anthropic key', lambda rng: 'sk-ant-api03-' + _text(rng, ALNUM + '_-', 93) + 'AA',
     lambda value: f'anthropic 401 for key {value}'),
    ('gitlab token', lambda rng: 'glpat-' + _text(rng, ALNUM, 20),
     lambda value: f'git clone failed, token {value}'),
    ('npm token', lambda rng: 'npm_' + _text(rng, ALNUM, 36),
     lambda value: f'npm publish failed //registry/:_authToken={value}'),
    ('hugging face token', lambda rng: 'hf_' + _text(rng, string.ascii_letters, 34),
     lambda value: f'model download 401 HF_TOKEN={value}'),
    ('sendgrid key', lambda rng: 'SG.' + _text(rng, ALNUM, 22) + '.' + _text(rng, ALNUM, 43),
     lambda value: f'mail send failed with key {value}'),
    ('azure account key', lambda rng: _text(rng, ALNUM + '+/', 86) + '==',
     lambda value: f'blob upload failed AccountName=acme;AccountKey={value};'),
    ('basic credentials', lambda rng: base64.b64encode(f'svc:{_password(rng)}'.encode()).decode(),
     lambda value: f'proxy refused Basic {value}'),
    ('aws access key', lambda rng: 'AKIA' + _text(rng, string.ascii_uppercase + '234567', 16),
     lambda value: f'using credentials {value} for s3'),
    ('github token', lambda rng: 'ghp_' + _text(rng, ALNUM, 36),
     lambda value: f'git push https://{value}@github.com/acme/app failed'),
    ('stripe key', lambda rng: 'sk_live_' + _text(rng, ALNUM, 24),
     lambda value: f'stripe error for key {value}'),
    ('url password', _password,
     lambda value: f'connect postgresql://app:{value}@db:5432/orders refused'),
    ('json password', _password,
     lambda value: f'bad login payload {{"user": "bob", "password": "{value}"}}'),
    ('bearer token', lambda rng: _text(rng, ALNUM, 40),
     lambda value: f'upstream call Authorization: Bearer {value} timed out'),
    ('e-mail address', lambda rng: _text(rng, string.ascii_lowercase, 8) + '@example.org',
     lambda value: f'reset mail to {value} bounced'),
]
PLANTED_TIMES = (200, 1_000)  # times each secret line is logged: its group competes for the digest's places


if __name__ == '__main__':
    sys.exit(main())
