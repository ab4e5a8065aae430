import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from parsers import ReadLimits, analyze_lines
from parsers.digest import build_digest
from services.diagnosis.offline import default_group
from services.diagnosis.redaction import (
    RULES_FILE,
    Redactor,
    describe_counts,
    placeholder_counts,
    redact,
    redact_analysis,
)
from services.parsing import analyze_path

FIXTURES = Path(__file__).parents[2] / 'fixtures'
MAIN = Path(__file__).parents[3] / 'main.py'
# Secret forms, each of a provider's documented shape (the fixture names its source), and text that only looks like
# a secret: hashes in stack traces, UUIDs, commit ids, ordinary key=value lines, timestamps, IP addresses.
FORMS = tomllib.loads((FIXTURES / 'secret_forms.toml').read_text(encoding='utf-8'))['secret']
LOOK_ALIKES = (FIXTURES / 'secret_look_alikes.txt').read_text(encoding='utf-8').splitlines()

# Test values shaped like real credentials; none of them is one.
AWS_ACCESS = 'AKIAZ3MSJV4WWNKGQX7B'  # gitleaks allowlists AWS's documentation key, …EXAMPLE
AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'
GOOGLE = 'AIzaSyA1234567890abcdefghijklmnopqrstuv'
GITHUB = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'
SLACK = 'xoxb-' + '123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'
STRIPE = 'sk_live_' + '4eC39HqLyjWDarjtT1zdp7dc'
PEM = (
    '-----BEGIN RSA PRIVATE KEY-----\n'
    'MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi5Z4a4QVgY6KcBfd3B2v9pX5tN\n'
    'u5gq0LxM0lqQ==\n'
    '-----END RSA PRIVATE KEY-----'
)

CASES = [
    ('AWS_ACCESS_KEY', f'using credentials {AWS_ACCESS} for s3', AWS_ACCESS),
    ('AWS_SECRET_KEY', f'aws_secret_access_key = {AWS_SECRET}', AWS_SECRET),
    ('JWT', f'token payload {JWT} rejected', JWT),
    ('BEARER_TOKEN', 'calling upstream with Bearer 8f14e45fceea167a5a36dedd4bea', '8f14e45fceea167a5a36dedd4bea'),
    ('AUTHORIZATION', 'Authorization: Basic dXNlcjpodW50ZXIy', 'dXNlcjpodW50ZXIy'),
    ('GOOGLE_API_KEY', f'key={GOOGLE}&q=x', GOOGLE),
    ('GITHUB_TOKEN', f'git clone https://{GITHUB}@github.com/acme/app', GITHUB),
    ('SLACK_TOKEN', f'slack client init {SLACK}', SLACK),
    ('STRIPE_KEY', f'stripe.api_key set to {STRIPE}', STRIPE),
    ('PRIVATE_KEY', f'loaded key:\n{PEM}\nnext', 'MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi5Z4a4QVgY6KcBfd3B2v9pX5tN'),
    ('URL_PASSWORD', 'connecting to postgresql://app:s3cr3t-Pa55@db.internal:5432/orders', 's3cr3t-Pa55'),
    ('PASSWORD', 'login attempt user=bob password=hunter2 from web', 'hunter2'),
    ('PASSWORD', '{"user": "bob", "password": "hunter2!x"}', 'hunter2!x'),
    ('SECRET', 'config loaded api_key=9c1185a5c5e9fc54612808977ee8f548b22', '9c1185a5c5e9fc54612808977ee8f548b22'),
    ('COOKIE', 'Cookie: sessionid=abc123def456; csrftoken=zzz999', 'sessionid=abc123def456; csrftoken=zzz999'),
    ('EMAIL', 'password reset mail sent to jane.doe+ops@example.co.uk', 'jane.doe+ops@example.co.uk'),
    ('CARD_NUMBER', 'charge failed for card 4111 1111 1111 1111 amount 20', '4111 1111 1111 1111'),
    ('CARD_NUMBER', 'charge failed for card 5500-0000-0000-0004', '5500-0000-0000-0004'),
]


@pytest.mark.parametrize(('kind', 'text', 'secret'), CASES, ids=[f'{case[0]}-{i}' for i, case in enumerate(CASES)])
def test_each_kind_is_redacted(kind: str, text: str, secret: str) -> None:
    result = redact(text)
    assert secret not in result.text
    assert f'<{kind}_1>' in result.text
    assert result.counts[kind] >= 1


def test_the_same_value_gets_the_same_placeholder_and_is_counted_once() -> None:
    redactor = Redactor()
    first = redactor.redact('mail a@example.com then b@example.com')
    second = redactor.redact('again a@example.com')
    assert first == 'mail <EMAIL_1> then <EMAIL_2>'
    assert second == 'again <EMAIL_1>'
    assert redactor.counts == {'EMAIL': 2}
    assert describe_counts(redactor.counts) == '2 e-mail addresses'


def test_private_key_block_keeps_the_line_count() -> None:
    text = f'before\n{PEM}\nafter'
    result = redact(text)
    assert result.text.count('\n') == text.count('\n')
    assert result.text.splitlines()[1] == '<PRIVATE_KEY_1>'
    assert result.text.splitlines()[-1] == 'after'


def test_a_key_block_cut_short_is_still_redacted() -> None:
    result = redact('-----BEGIN PRIVATE KEY-----\nMIIBVgIBADANBgkqhkiG9w0BAQEFAASCAUAw\n2026-01-01 INFO next')
    assert 'MIIBVgIB' not in result.text
    assert result.text.endswith('\n2026-01-01 INFO next')


def test_a_bearer_jwt_in_an_authorization_header_is_fully_hidden() -> None:
    result = redact(f'Authorization: Bearer {JWT}')
    assert result.text == 'Authorization: Bearer <JWT_1>'


def test_ip_addresses_are_redacted_only_when_asked() -> None:
    text = 'connect to 10.0.12.7:5432 and fe80::1ff:fe23:4567:890a failed'
    assert redact(text).text == text
    hidden = redact(text, redact_ips=True)
    assert hidden.text == 'connect to <IP_ADDRESS_1>:5432 and <IP_ADDRESS_2> failed'
    assert hidden.counts == {'IP_ADDRESS': 2}


@pytest.mark.parametrize('text', LOOK_ALIKES)
def test_ordinary_values_are_left_alone(text: str) -> None:
    result = redact(text)
    assert result.text == text
    assert result.total == 0


def test_nothing_to_report_reads_as_nothing() -> None:
    assert describe_counts({}) == 'nothing'
    assert describe_counts({'EMAIL': 2, 'PASSWORD': 1}) == '1 password, 2 e-mail addresses'


def test_an_analysis_is_redacted_with_one_set_of_placeholders() -> None:
    analysis = analyze_lines([
        '2026-01-01 10:00:00 INFO login ok for ann@example.com',
        '2026-01-01 10:00:01 ERROR reset failed for ann@example.com password=hunter22',
        '2026-01-01 10:00:02 ERROR reset failed for bob@example.com password=hunter23',
    ])
    redacted = redact_analysis(analysis)
    texts = '\n'.join(f'{g.template}\n{g.example}\n' + '\n'.join(g.context_before) for g in redacted.groups)
    kept = [line for g in redacted.groups for excerpt in g.excerpts for line in excerpt.lines]
    assert 'example.com' not in texts + '\n'.join(kept) and 'hunter2' not in texts + '\n'.join(kept)
    assert len(kept) == sum(len(excerpt.lines) for g in analysis.groups for excerpt in g.excerpts)  # line for line
    stored = json.dumps(redacted.to_dict())  # as saved: each kept line once, first occurrences read from them
    assert 'example.com' not in stored and 'hunter2' not in stored and '<EMAIL_1>' in stored
    error = next(group for group in redacted.groups if group.level == 'ERROR')
    assert error.example.startswith('2026-01-01 10:00:01 ERROR reset failed for <EMAIL_1> password=<PASSWORD_')
    assert error.context_before == ['2026-01-01 10:00:00 INFO login ok for <EMAIL_1>']
    assert analysis.groups[0].example != redacted.groups[0].example  # the original is left as it was
    assert [group.count for group in redacted.groups] == [group.count for group in analysis.groups]


def test_placeholders_already_in_a_text_are_counted_once_per_value() -> None:
    once = redact(f'login by ann@example.com, then bob@example.com, then ann@example.com with key {AWS_ACCESS}').text
    assert placeholder_counts(once) == {'EMAIL': 2, 'AWS_ACCESS_KEY': 1}
    assert placeholder_counts(redact(once).text) == {'EMAIL': 2, 'AWS_ACCESS_KEY': 1}  # redacting again adds nothing
    assert placeholder_counts('<div> <NOT_A_KIND_1> plain text') == {}


@pytest.mark.parametrize('form', FORMS, ids=[form['name'] for form in FORMS])
def test_each_documented_secret_form_is_redacted(form: dict[str, str]) -> None:
    result = redact(form['line'])
    assert form['secret'] not in result.text
    assert result.total >= 1
    assert result.text.count('\n') == form['line'].count('\n')


def test_the_corpus_holds_over_a_hundred_forms_each_with_its_source() -> None:
    assert len(FORMS) >= 100
    assert all(form['source'] and form['secret'] in form['line'] for form in FORMS)
    assert len({form['secret'] for form in FORMS}) == len(FORMS)


CHUNK = 30  # forms per log: one event's lines all reach the digest


@pytest.mark.parametrize('first', range(0, len(FORMS), CHUNK))
def test_no_secret_form_reaches_the_prompt(first: int, tmp_path: Path) -> None:
    """Through `analyze --prompt`, exactly what would be sent; the same log's digest unredacted carries them all,
    so each one was there to leak."""
    forms = FORMS[first:first + CHUNK]
    log = tmp_path / 'secrets.log'
    lines = ['2026-11-26 08:00:00,000 INFO [boot] starting',
             '2026-11-26 08:00:01,000 ERROR [boot] settings before crash']
    lines += ['    ' + line for form in forms for line in form['line'].split('\n')]
    log.write_text('\n'.join(lines) + '\n', encoding='utf-8')
    analysis = analyze_path(log, ReadLimits())
    carried = build_digest(analysis, default_group(analysis), budget=12_000).text
    assert all(part in carried for form in forms for part in _parts(form['secret']))
    result = subprocess.run([sys.executable, str(MAIN), 'analyze', str(log), '--prompt'], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert [form['name'] for form in forms if any(part in result.stdout for part in _parts(form['secret']))] == []
    assert 'settings before crash' in result.stdout


def _parts(secret: str) -> list[str]:
    """A secret's lines as a log shows them, indented; a key block's BEGIN and END lines are no secret."""
    return [line.strip() for line in secret.split('\n') if not line.startswith('-----')]


def test_look_alikes_reach_the_prompt_unchanged(tmp_path: Path) -> None:
    log = tmp_path / 'plain.log'
    lines = ['2026-11-26 08:00:01,000 ERROR [boot] settings before crash', *('    ' + line for line in LOOK_ALIKES)]
    log.write_text('\n'.join(lines) + '\n', encoding='utf-8')
    result = subprocess.run([sys.executable, str(MAIN), 'analyze', str(log), '--prompt'], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert [line for line in LOOK_ALIKES if line.strip() not in result.stdout] == []
    assert result.stderr.startswith('redacted: nothing')


def test_the_rules_are_gitleaks_published_set_with_its_licence() -> None:
    header = RULES_FILE.read_text(encoding='utf-8')[:2_000]
    assert 'gitleaks' in header and 'at commit' in header and 'MIT License' in header
    rules = tomllib.loads(RULES_FILE.read_text(encoding='utf-8'))['rules']
    assert len(rules) > 200


@pytest.mark.parametrize(('text', 'expected'), [
    # The value a rule names is what is hidden, not the key word gitleaks reports first.
    ('sonar.token=' + 'a1b2c3d4e5' * 4, 'sonar.token=<API_TOKEN_1>'),
    # A short password keeps its key in view.
    ('DB_PASSWORD=hunter2 next', 'DB_PASSWORD=<PASSWORD_1> next'),
    # A token ends at a query string's `&` as well as at a space.
    ('GET /geo?key=AIzaSyD-planted0secret1value2for3tests4&q=x', 'GET /geo?key=<GOOGLE_API_KEY_1>&q=x'),
    ('with PGPASSWORD=s3cr3t!x and MYSQL_PWD=s3cr3t!x', 'with PGPASSWORD=<PASSWORD_1> and MYSQL_PWD=<PASSWORD_1>'),
])
def test_what_is_replaced_and_what_stays(text: str, expected: str) -> None:
    assert redact(text).text == expected
