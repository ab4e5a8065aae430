"""Pathological lines through everything that reads evidence: the offline analyzer, redaction, templates, the digest.

These once rescanned the rest of the line at every position (seconds per line); now each pass is linear.
"""

import pytest

from parsers import Analysis, Group
from parsers.digest import build_digest, plain_template
from services.diagnosis.offline import offline_diagnosis
from services.diagnosis.redaction import redact

LINES = [
    'x' * 60_000, 'a.' * 30_000, 'GET ' * 15_000, 'GET /x 502 ' * 5_000, 'certificate has expired ' + 'a' * 60_000,
    'password=' * 7_000, 'cookie: ' * 7_000, 'a@' * 30_000, '4 ' * 30_000, '-----BEGIN PRIVATE KEY-----' * 2_000,
    'Bearer ' * 8_000, 'connect() failed (111: Connection refused) while connecting to upstream ' * 800,
    'http://' * 8_000, 'Authorization: ' * 4_000, '<*>a' * 15_000, 'nginx.service: ' * 4_000,
]


@pytest.mark.parametrize('line', LINES, ids=[line[:12] for line in LINES])
def test_a_pathological_line_is_read_in_one_pass(line: str) -> None:
    group = Group(id=1, template=line, level='ERROR', count=10, first_line=1, example=line)
    analysis = Analysis(lines=1, events=1, level_counts={'ERROR': 1}, formats={}, groups=[group])
    assert offline_diagnosis(analysis, None).markdown.startswith('## Summary')
    assert redact(line, redact_ips=True).text.count('\n') == 0
    assert '\n' not in plain_template(line)
    assert build_digest(analysis, group, budget=1_000).tokens <= 1_000
