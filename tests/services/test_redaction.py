import pytest

from parsers import analyze_lines
from services.redaction import Redactor, describe_counts, placeholder_counts, redact, redact_analysis

# Test values shaped like real credentials; none of them is one.
AWS_ACCESS = 'AKIAZ3MSJV4WWNKGQX7B'
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


@pytest.mark.parametrize('text', [
    'upgraded nginx from 1.24.0 to 1.25.3 (build 20240101)',
    '2026-03-01T12:34:56.789+02:00 INFO started in 1234 ms',
    'request 3f2b8c1e-9d4a-4e6b-8f0a-1c2d3e4f5a6b done',
    'commit 9fceb02d0ae598e95dc970b74767f19372d61af8 deployed',
    '  File "/app/main.py", line 42, in handler',
    'epoch 1700000000000 offset 18446744073709551615',
    'FATAL: password authentication failed for user "app"',
    'token expired; refreshing tokens: 3 left',
    'listening on 0.0.0.0:8080, version v1.2.3.4',
    'order 4111111111111112 not found',  # fails the Luhn check
    'java.lang.NullPointerException at com.acme.Service.run(Service.java:88)',
    'user@localhost logged in',
])
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
    assert 'example.com' not in texts and 'hunter2' not in texts
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
