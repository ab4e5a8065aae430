import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from parsers import ReadLimits
from services.diagnosis.offline import (
    OFFLINE_NOTE,
    OfflineAnalyzer,
    default_group,
    load_classes,
    load_contexts,
    load_signatures,
)
from services.parsing import analyze_text

CASES = tomllib.loads((Path(__file__).parents[2] / 'fixtures' / 'signature_cases.toml').read_text(encoding='utf-8'))
AREAS = {'Python', 'Java', 'Go', 'Node.js', 'nginx/Apache', 'PostgreSQL', 'MySQL', 'Redis', 'Docker/Kubernetes',
         'Linux kernel', 'TLS', 'DNS', 'cloud permissions', 'HTTP', 'network'}


def log_of(case: dict[str, Any]) -> str:
    return str(case['log']).lstrip('\n') * int(case.get('times', 1))


@pytest.mark.parametrize('case', CASES['case'], ids=[f'{c["signature"]}-{i}' for i, c in enumerate(CASES['case'])])
async def test_signature_recognizes_its_failure(case: dict[str, Any]) -> None:
    analysis = analyze_text(log_of(case), ReadLimits())
    diagnosis = await OfflineAnalyzer().diagnose(analysis)
    assert diagnosis.signature_id == case['signature'], diagnosis.markdown
    for expected in case['expect']:
        assert expected in diagnosis.markdown
    for heading in ('## Summary', '## Root cause', '## Evidence', '## Fix', '## Prevention'):
        assert heading in diagnosis.markdown
    assert re.search(r'^- line \d+: `', diagnosis.markdown, re.MULTILINE)  # the cited line
    assert diagnosis.markdown.endswith(OFFLINE_NOTE)
    assert not re.search(r'\{[a-z_]+\}', diagnosis.markdown.split('## Fix')[0]), 'an unfilled placeholder'


@pytest.mark.parametrize('case', CASES['negative'], ids=[f'negative-{i}' for i in range(len(CASES['negative']))])
async def test_unrelated_logs_match_no_signature(case: dict[str, Any]) -> None:
    diagnosis = await OfflineAnalyzer().diagnose(analyze_text(log_of(case), ReadLimits()))
    assert diagnosis.signature_id is None, diagnosis.markdown


def test_the_knowledge_base_is_broad_and_every_signature_is_tested() -> None:
    signatures = load_signatures()
    assert len(signatures) >= 60
    assert len({signature.id for signature in signatures}) == len(signatures)
    covered = {area for signature in signatures for area in AREAS if area in signature.area}
    assert covered == AREAS
    assert {signature.id for signature in signatures} == {case['signature'] for case in CASES['case']}


def test_every_placeholder_can_be_filled() -> None:
    for signature in load_signatures():
        # A placeholder is a name some pattern captures or a default names; `{print $NF}` and the like are prose.
        known = {name for pattern in signature.patterns for name in pattern.groupindex} | set(signature.defaults)
        used = {name for text in (*signature.titles, signature.root_cause, signature.fix, signature.prevention)
                for name in re.findall(r'\{(\w+)\}', text)} & known
        for pattern in signature.patterns:
            missing = used - {*pattern.groupindex, *signature.defaults}
            assert not missing, f'{signature.id}: {missing} unfilled when {pattern.pattern} matches'


def test_a_title_the_log_may_not_fill_has_one_that_needs_no_value() -> None:
    # A default ("the action", "PORT") or a missing value must never stand in a title.
    for signature in (*load_signatures(), *load_classes()):
        captured = set.intersection(*(set(pattern.groupindex) for pattern in signature.patterns))
        always = captured - set(signature.defaults)
        named = set(re.findall(r'\{(\w+)\}', signature.titles[-1])) - {'count'}
        assert named <= always, f'{signature.id}: its last title names {named - always}, which a match may lack'


@pytest.mark.parametrize(('log', 'title'), [
    # No host in the words: the value the pattern would take is a function word, not a name.
    ('2026-11-26 10:00:00 ERROR sync: could not connect to the mirror: Connection timed out\n',
     '**Connection timed out**'),
    ('2026-11-26 10:00:00 ERROR sync: connect to db.internal:5432 timed out after 30s\n',
     '**Connection to db.internal:5432 timed out**'),
    ('2026-11-26 10:00:00 ERROR [proxy] Connection refused\n', '**Connection refused**'),
])
async def test_a_title_never_shows_a_default_or_a_word_taken_for_a_value(log: str, title: str) -> None:
    diagnosis = await OfflineAnalyzer().diagnose(analyze_text(log, ReadLimits()))
    assert diagnosis.markdown.split('\n')[1].startswith(title), diagnosis.markdown


async def test_a_failure_below_the_top_error_is_still_found() -> None:
    log = (
        '2026-11-26 10:00:00 ERROR [web] request failed: upstream error\n' * 3
        + 'Nov 26 10:00:01 web-1 kernel: Out of memory: Killed process 2213 (gunicorn) total-vm:812kB\n'
    )
    analysis = analyze_text(log, ReadLimits())
    top = default_group(analysis)
    assert top is not None and top.template.startswith('Out of memory')  # the rarer, worse failure ranks first
    chosen = next(group for group in analysis.groups if 'upstream' in group.template)  # the person chose the other
    diagnosis = await OfflineAnalyzer().diagnose(analysis, chosen)
    assert diagnosis.signature_id == 'out-of-memory'
    assert 'gunicorn (pid 2213)' in diagnosis.markdown
    assert 'is not in the knowledge base; this is the first recognized failure' in diagnosis.markdown
    assert 'Confidence: **medium**' in diagnosis.markdown


async def test_secrets_in_the_evidence_are_redacted() -> None:
    log = '2026-11-26 10:00:00 ERROR password authentication failed for user "app" password=hunter22\n'
    diagnosis = await OfflineAnalyzer().diagnose(analyze_text(log, ReadLimits()))
    assert diagnosis.signature_id == 'pg-auth-failed'
    assert 'hunter22' not in diagnosis.markdown and '<PASSWORD_1>' in diagnosis.markdown


def test_every_high_confidence_signature_declares_the_context_it_needs() -> None:
    raw = tomllib.loads((Path(__file__).parents[3] / 'services' / 'diagnosis' / 'signatures.toml')
                        .read_text(encoding='utf-8'))['signature']
    contexts = set(load_contexts())
    high = [entry for entry in raw if entry.get('confidence', 'high') == 'high']
    assert high and len(high) < len(raw)
    for entry in high:
        assert 'requires' in entry, f"{entry['id']} states high confidence without declaring the context it needs"
        assert set(entry['requires']) <= contexts, f"{entry['id']} requires an undefined context"
    assert {signature.id for signature in load_signatures() if signature.confidence == 'high'} == \
        {entry['id'] for entry in high}
