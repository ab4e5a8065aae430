from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from parsers import Analysis, Group
from services.diagnosis.analyzer import Diagnosis, DiagnosisError
from services.diagnosis.diagnose import AnalysisNotFound, diagnose_saved
from services.diagnosis.gemini import FallbackAnalyzer, GeminiAnalyzer
from services.diagnosis.offline import OfflineAnalyzer
from services.export import export_json
from services.identity import Caller
from services.store import quota
from services.store.database import Database
from services.store.quota import Limits, QuotaExceeded
from services.store.saved_analyses import get_analysis, save_analysis
from tests.gemini_server import GeminiServer, Reply
from tests.services.store.test_saved_analyses import LOG, analyzed

OWNER = Caller(guest_id='browser-1', address='203.0.113.7')
LIMITS = Limits(guest_free=1, guest_daily_per_address=10, user_daily=None)


class CountingAnalyzer(OfflineAnalyzer):
    """A model that answers as the offline analyzer does, counting the questions that reach it and failing when
    told to."""

    model = 'test-model'

    def __init__(self, fail: bool = False, fallback: bool = False) -> None:
        self.calls = 0
        self.fail = fail
        self.fallback = fallback

    async def diagnose(
        self, analysis: Analysis, group: Group | None = None, on_chunk: Callable[[str], None] | None = None
    ) -> Diagnosis:
        self.calls += 1
        if self.fail:
            raise DiagnosisError('The model is overloaded; try again.')
        diagnosis = replace(await super().diagnose(analysis, group, on_chunk), model=self.model)
        return replace(diagnosis, fallback_reason='the model timed out') if self.fallback else diagnosis


def saved(database: Database, text: str = LOG) -> str:
    return save_analysis(database, owner=OWNER, file_name='app.log', size_bytes=len(text), analysis=analyzed(text)).id


async def test_a_diagnosis_is_kept_with_its_analysis_and_counted(database: Database) -> None:
    analysis_id = saved(database)
    chunks: list[str] = []
    result = await diagnose_saved(database=database, analyzer=CountingAnalyzer(), analysis_id=analysis_id,
                                  owner=OWNER, limits=LIMITS, on_chunk=chunks.append)
    assert not result.from_cache
    assert ''.join(chunks) == result.diagnosis.markdown
    record = get_analysis(database, analysis_id=analysis_id, owner=OWNER)
    assert record is not None
    assert record.diagnosis_markdown == result.diagnosis.markdown
    assert record.model == 'test-model'
    assert record.diagnosis_group_id == result.group_id is not None
    assert record.digest is None  # this stand-in for a model sends nothing anywhere
    assert quota.remaining(database, caller=OWNER, limits=LIMITS) == 0


@pytest.mark.parametrize('used', [0, 3], ids=['fresh', 'model-quota-spent'])
async def test_the_offline_analyzer_diagnoses_a_guest_without_limit_or_charge(database: Database, used: int) -> None:
    limits = Limits(guest_free=3, guest_daily_per_address=10, user_daily=None)
    for _ in range(used):
        quota.commit(database, reservation=quota.reserve(database, caller=OWNER, limits=limits))
    for number in range(5):
        text = f'2026-01-01 10:00:0{number} ERROR worker {number} failed: error number {number} of five\n'
        result = await diagnose_saved(database=database, analyzer=OfflineAnalyzer(), analysis_id=saved(database, text),
                                      owner=OWNER, limits=limits)
        assert not result.from_cache and result.diagnosis.model == 'offline'
    assert quota.remaining(database, caller=OWNER, limits=limits) == 3 - used


async def test_the_same_question_again_is_answered_from_the_cache_for_free(database: Database) -> None:
    analyzer = CountingAnalyzer()
    first, second = saved(database), saved(database)
    await diagnose_saved(database=database, analyzer=analyzer, analysis_id=first, owner=OWNER, limits=LIMITS)
    result = await diagnose_saved(database=database, analyzer=analyzer, analysis_id=second, owner=OWNER, limits=LIMITS)
    assert result.from_cache
    assert analyzer.calls == 1
    record = get_analysis(database, analysis_id=second, owner=OWNER)
    assert record is not None and record.diagnosis_markdown == result.diagnosis.markdown


async def test_a_failed_diagnosis_consumes_nothing(database: Database) -> None:
    analysis_id = saved(database)
    with pytest.raises(DiagnosisError):
        await diagnose_saved(database=database, analyzer=CountingAnalyzer(fail=True), analysis_id=analysis_id,
                             owner=OWNER, limits=LIMITS)
    assert quota.remaining(database, caller=OWNER, limits=LIMITS) == 1
    record = get_analysis(database, analysis_id=analysis_id, owner=OWNER)
    assert record is not None and record.diagnosis_markdown is None


async def test_a_spent_quota_stops_before_the_analyzer_is_asked(database: Database) -> None:
    analyzer = CountingAnalyzer()
    await diagnose_saved(database=database, analyzer=analyzer, analysis_id=saved(database), owner=OWNER, limits=LIMITS)
    other = saved(database, '2026-01-01 10:00:00 ERROR something else entirely broke\n')
    with pytest.raises(QuotaExceeded):
        await diagnose_saved(database=database, analyzer=analyzer, analysis_id=other, owner=OWNER, limits=LIMITS)
    assert analyzer.calls == 1


async def test_another_persons_analysis_cannot_be_diagnosed(database: Database) -> None:
    analysis_id = saved(database)
    with pytest.raises(AnalysisNotFound):
        await diagnose_saved(database=database, analyzer=CountingAnalyzer(), analysis_id=analysis_id,
                             owner=Caller(guest_id='someone-else'), limits=LIMITS)


async def test_an_offline_stand_in_for_a_failed_model_is_neither_charged_nor_cached(database: Database) -> None:
    primary = CountingAnalyzer(fail=True)
    analyzer = FallbackAnalyzer(primary, OfflineAnalyzer())
    analysis_id = saved(database)
    for _ in range(2):
        result = await diagnose_saved(database=database, analyzer=analyzer, analysis_id=analysis_id, owner=OWNER,
                                      limits=LIMITS)
        assert result.diagnosis.fallback_reason == 'The model is overloaded; try again.'
        assert not result.from_cache
    assert primary.calls == 2
    assert quota.remaining(database, caller=OWNER, limits=LIMITS) == 1


async def test_an_offline_stand_in_after_a_model_failure_is_kept_but_free_and_not_cached(database: Database) -> None:
    analyzer = CountingAnalyzer(fallback=True)
    analysis_id = saved(database)
    result = await diagnose_saved(database=database, analyzer=analyzer, analysis_id=analysis_id, owner=OWNER,
                                  limits=LIMITS)
    assert result.diagnosis.fallback_reason == 'the model timed out'
    assert quota.remaining(database, caller=OWNER, limits=LIMITS) == 1
    record = get_analysis(database, analysis_id=analysis_id, owner=OWNER)
    assert record is not None and record.diagnosis_markdown == result.diagnosis.markdown
    again = await diagnose_saved(database=database, analyzer=analyzer, analysis_id=analysis_id, owner=OWNER,
                                 limits=LIMITS)
    assert not again.from_cache and analyzer.calls == 2


async def test_the_evidence_sent_to_the_model_is_kept_as_the_digest(database: Database,
                                                                    gemini_server: GeminiServer) -> None:
    gemini_server.script(Reply(chunks=['## Summary\nThe database refused connections (line 4).']))
    model = GeminiAnalyzer(api_key='test-key', model='gemini-2.5-flash', base_url=gemini_server.url, timeout=5.0,
                           retries=0, retry_delay=0.01)
    analysis_id = saved(database)
    await diagnose_saved(database=database, analyzer=model, analysis_id=analysis_id, owner=OWNER, limits=LIMITS)
    record = get_analysis(database, analysis_id=analysis_id, owner=OWNER)
    assert record is not None
    [request] = gemini_server.requests
    assert record.digest == request.json['contents'][0]['parts'][0]['text']
    assert export_json(record)['diagnosis']['evidence_sent'] == record.digest


BOB = Caller(guest_id='browser-2', address='198.51.100.9')
# The same error text in both logs, at different lines and after different lines.
ALICE_LOG = ('2026-01-01 10:00:00 INFO alice-node-7 started for tenant alice-corp\n'
             '2026-01-01 10:00:01 ERROR Connection refused to db.internal:5432\n')
BOB_LOG = ('2026-01-01 10:00:00 INFO bob-node-3 started\n'
           '2026-01-01 10:00:00 INFO bob-node-3 loading plugins\n'
           '2026-01-01 10:00:00 INFO bob-node-3 listening on 8080\n'
           '2026-01-01 10:00:01 ERROR Connection refused to db.internal:5432\n')


def saved_by(database: Database, owner: Caller, text: str) -> str:
    return save_analysis(database, owner=owner, file_name='app.log', size_bytes=len(text), analysis=analyzed(text)).id


async def diagnose_as(database: Database, analyzer: OfflineAnalyzer | GeminiAnalyzer, owner: Caller,
                      analysis_id: str) -> tuple[str, bool]:
    result = await diagnose_saved(database=database, analyzer=analyzer, analysis_id=analysis_id, owner=owner,
                                  limits=LIMITS)
    record = get_analysis(database, analysis_id=analysis_id, owner=owner)
    assert record is not None and record.diagnosis_markdown == result.diagnosis.markdown
    return result.diagnosis.markdown, result.from_cache


@pytest.mark.parametrize(('alice_log', 'bob_log', 'alice_only'), [
    (ALICE_LOG, BOB_LOG, 'first at line 2'),
    # No error group in either log: a known failure found at WARN level quotes the line it found.
    ('2026-01-01 10:00:00 WARN alice-corp export to /srv/alice/payroll.csv: No space left on device\n',
     '2026-01-01 10:00:00 INFO bob-node-3 started\n', 'payroll'),
    ('2026-01-01 10:00:00 INFO alice-node-7 started\n', '2026-01-01 10:00:00 INFO bob-node-3 started\n'
     '2026-01-01 10:00:01 INFO bob-node-3 ready\n', 'in 1 lines'),
], ids=['same-error-other-lines', 'known-failure-without-error-group', 'no-errors'])
async def test_two_guests_with_different_logs_never_see_each_others_answer(
    database: Database, alice_log: str, bob_log: str, alice_only: str,
) -> None:
    analyzer = CountingAnalyzer()
    alice_answer, _ = await diagnose_as(database, analyzer, OWNER, saved_by(database, OWNER, alice_log))
    bob_answer, from_cache = await diagnose_as(database, analyzer, BOB, saved_by(database, BOB, bob_log))
    assert alice_only in alice_answer
    assert not from_cache and analyzer.calls == 2
    assert alice_only not in bob_answer and 'alice' not in bob_answer
    assert bob_answer == (await OfflineAnalyzer().diagnose(analyzed(bob_log))).markdown


async def test_the_same_log_diagnosed_again_by_anyone_is_answered_from_the_cache(database: Database) -> None:
    analyzer = CountingAnalyzer()
    first, _ = await diagnose_as(database, analyzer, OWNER, saved_by(database, OWNER, BOB_LOG))
    again, from_cache = await diagnose_as(database, analyzer, BOB, saved_by(database, BOB, BOB_LOG))
    assert from_cache and again == first and analyzer.calls == 1
    assert quota.remaining(database, caller=BOB, limits=LIMITS) == 1  # a cached answer is free


async def test_a_model_answer_is_never_served_for_another_guests_evidence(database: Database,
                                                                          gemini_server: GeminiServer) -> None:
    gemini_server.script(Reply(chunks=['## Summary\nalice-node-7 lost its database.']),
                         Reply(chunks=['## Summary\nbob-node-3 lost its database.']))
    model = GeminiAnalyzer(api_key='test-key', model='gemini-2.5-flash', base_url=gemini_server.url, timeout=5.0,
                           retries=0)
    alice_answer, _ = await diagnose_as(database, model, OWNER, saved_by(database, OWNER, ALICE_LOG))
    bob_answer, from_cache = await diagnose_as(database, model, BOB, saved_by(database, BOB, BOB_LOG))
    assert (alice_answer, bob_answer) == ('## Summary\nalice-node-7 lost its database.',
                                          '## Summary\nbob-node-3 lost its database.')
    assert not from_cache and len(gemini_server.requests) == 2
    again, from_cache = await diagnose_as(database, model, BOB, saved_by(database, BOB, BOB_LOG))
    assert from_cache and again == bob_answer and len(gemini_server.requests) == 2


@pytest.mark.parametrize('unusable', [Reply(chunks=['## Summary\nThe data'], finish_reason='MAX_TOKENS'),
                                      Reply(block_reason='SAFETY'), Reply(chunks=[''])],
                         ids=['cut-off', 'blocked', 'empty'])
async def test_an_unusable_model_answer_is_neither_cached_nor_charged(
    database: Database, gemini_server: GeminiServer, unusable: Reply,
) -> None:
    gemini_server.script(unusable, Reply(chunks=['## Summary\nThe database refused connections.']))
    model = GeminiAnalyzer(api_key='test-key', model='gemini-2.5-flash', base_url=gemini_server.url, timeout=5.0,
                           retries=0)
    analyzer = FallbackAnalyzer(model, OfflineAnalyzer())
    analysis_id = saved(database)
    first = await diagnose_saved(database=database, analyzer=analyzer, analysis_id=analysis_id, owner=OWNER,
                                 limits=LIMITS)
    assert first.diagnosis.fallback_reason is not None and first.diagnosis.model == 'offline'
    assert first.diagnosis.markdown.startswith(f'> **{first.diagnosis.fallback_reason}** Below is the offline')
    assert quota.remaining(database, caller=OWNER, limits=LIMITS) == 1
    again = await diagnose_saved(database=database, analyzer=analyzer, analysis_id=analysis_id, owner=OWNER,
                                 limits=LIMITS)
    assert not again.from_cache and len(gemini_server.requests) == 2
    assert again.diagnosis.markdown == '## Summary\nThe database refused connections.'
    assert quota.remaining(database, caller=OWNER, limits=LIMITS) == 0


async def test_thinking_tokens_are_kept_with_the_diagnosis_and_its_cached_copy(
    database: Database, gemini_server: GeminiServer,
) -> None:
    gemini_server.script(Reply(chunks=['## Summary\nDB down.'], prompt_tokens=900, answer_tokens=42,
                               thinking_tokens=321))
    model = GeminiAnalyzer(api_key='test-key', model='gemini-2.5-flash', base_url=gemini_server.url, timeout=5.0,
                           retries=0)
    for analysis_id in (saved(database), saved(database)):  # the second is answered from the cache
        await diagnose_saved(database=database, analyzer=model, analysis_id=analysis_id, owner=OWNER, limits=LIMITS)
        record = get_analysis(database, analysis_id=analysis_id, owner=OWNER)
        assert record is not None
        usage = export_json(record)['diagnosis']
        assert (usage['input_tokens'], usage['output_tokens'], usage['thinking_tokens']) == (900, 42, 321)
    assert len(gemini_server.requests) == 1
