from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from parsers import Analysis, Group
from services import quota
from services.analyses import Owner, export_json, get_analysis, save_analysis
from services.db import Database
from services.diagnosis import Diagnosis, DiagnosisError, OfflineAnalyzer
from services.gemini import FallbackAnalyzer, GeminiAnalyzer
from services.quota import Limits, QuotaExceeded, Requester
from services.workflow import AnalysisNotFound, diagnose_saved
from tests.gemini_server import GeminiServer, Reply

from .test_analyses import LOG, analyzed

OWNER = Owner(guest_id='browser-1')
REQUESTER = Requester(user_id=None, guest_id='browser-1', address='203.0.113.7')
LIMITS = Limits(guest_free=1, guest_daily_per_address=10, user_daily=None)


class CountingAnalyzer(OfflineAnalyzer):
    """The offline analyzer, counting the questions that reach it and failing when told to."""

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
        diagnosis = await super().diagnose(analysis, group, on_chunk)
        return replace(diagnosis, fallback_reason='the model timed out') if self.fallback else diagnosis


def saved(database: Database, text: str = LOG) -> str:
    return save_analysis(database, owner=OWNER, file_name='app.log', size_bytes=len(text), analysis=analyzed(text)).id


async def test_a_diagnosis_is_kept_with_its_analysis_and_counted(database: Database) -> None:
    analysis_id = saved(database)
    chunks: list[str] = []
    result = await diagnose_saved(database=database, analyzer=CountingAnalyzer(), analysis_id=analysis_id,
                                  owner=OWNER, requester=REQUESTER, limits=LIMITS, on_chunk=chunks.append)
    assert not result.from_cache
    assert ''.join(chunks) == result.diagnosis.markdown
    record = get_analysis(database, analysis_id=analysis_id, owner=OWNER)
    assert record is not None
    assert record.diagnosis_markdown == result.diagnosis.markdown
    assert record.model == 'offline'
    assert record.diagnosis_group_id == result.group_id is not None
    assert record.digest is None  # the offline analyzer sends nothing anywhere
    assert quota.remaining(database, requester=REQUESTER, limits=LIMITS) == 0


async def test_the_same_question_again_is_answered_from_the_cache_for_free(database: Database) -> None:
    analyzer = CountingAnalyzer()
    first, second = saved(database), saved(database)
    await diagnose_saved(database=database, analyzer=analyzer, analysis_id=first, owner=OWNER, requester=REQUESTER,
                         limits=LIMITS)
    result = await diagnose_saved(database=database, analyzer=analyzer, analysis_id=second, owner=OWNER,
                                  requester=REQUESTER, limits=LIMITS)
    assert result.from_cache
    assert analyzer.calls == 1
    record = get_analysis(database, analysis_id=second, owner=OWNER)
    assert record is not None and record.diagnosis_markdown == result.diagnosis.markdown


async def test_a_failed_diagnosis_consumes_nothing(database: Database) -> None:
    analysis_id = saved(database)
    with pytest.raises(DiagnosisError):
        await diagnose_saved(database=database, analyzer=CountingAnalyzer(fail=True), analysis_id=analysis_id,
                             owner=OWNER, requester=REQUESTER, limits=LIMITS)
    assert quota.remaining(database, requester=REQUESTER, limits=LIMITS) == 1
    record = get_analysis(database, analysis_id=analysis_id, owner=OWNER)
    assert record is not None and record.diagnosis_markdown is None


async def test_a_spent_quota_stops_before_the_analyzer_is_asked(database: Database) -> None:
    analyzer = CountingAnalyzer()
    await diagnose_saved(database=database, analyzer=analyzer, analysis_id=saved(database), owner=OWNER,
                         requester=REQUESTER, limits=LIMITS)
    other = saved(database, '2026-01-01 10:00:00 ERROR something else entirely broke\n')
    with pytest.raises(QuotaExceeded):
        await diagnose_saved(database=database, analyzer=analyzer, analysis_id=other, owner=OWNER,
                             requester=REQUESTER, limits=LIMITS)
    assert analyzer.calls == 1


async def test_another_persons_analysis_cannot_be_diagnosed(database: Database) -> None:
    analysis_id = saved(database)
    with pytest.raises(AnalysisNotFound):
        await diagnose_saved(database=database, analyzer=CountingAnalyzer(), analysis_id=analysis_id,
                             owner=Owner(guest_id='someone-else'), requester=REQUESTER, limits=LIMITS)


async def test_an_offline_stand_in_for_a_failed_model_is_neither_charged_nor_cached(database: Database) -> None:
    primary = CountingAnalyzer(fail=True)
    analyzer = FallbackAnalyzer(primary, OfflineAnalyzer())
    analysis_id = saved(database)
    for _ in range(2):
        result = await diagnose_saved(database=database, analyzer=analyzer, analysis_id=analysis_id, owner=OWNER,
                                      requester=REQUESTER, limits=LIMITS)
        assert result.diagnosis.fallback_reason == 'The model is overloaded; try again.'
        assert not result.from_cache
    assert primary.calls == 2
    assert quota.remaining(database, requester=REQUESTER, limits=LIMITS) == 1


async def test_an_offline_stand_in_after_a_model_failure_is_kept_but_free_and_not_cached(database: Database) -> None:
    analyzer = CountingAnalyzer(fallback=True)
    analysis_id = saved(database)
    result = await diagnose_saved(database=database, analyzer=analyzer, analysis_id=analysis_id, owner=OWNER,
                                  requester=REQUESTER, limits=LIMITS)
    assert result.diagnosis.fallback_reason == 'the model timed out'
    assert quota.remaining(database, requester=REQUESTER, limits=LIMITS) == 1
    record = get_analysis(database, analysis_id=analysis_id, owner=OWNER)
    assert record is not None and record.diagnosis_markdown == result.diagnosis.markdown
    again = await diagnose_saved(database=database, analyzer=analyzer, analysis_id=analysis_id, owner=OWNER,
                                 requester=REQUESTER, limits=LIMITS)
    assert not again.from_cache and analyzer.calls == 2


async def test_the_evidence_sent_to_the_model_is_kept_as_the_digest(database: Database,
                                                                    gemini_server: GeminiServer) -> None:
    gemini_server.script(Reply(chunks=['## Summary\nThe database refused connections (line 4).']))
    model = GeminiAnalyzer(api_key='test-key', model='gemini-2.5-flash', base_url=gemini_server.url, timeout=5.0,
                           retries=0, retry_delay=0.01)
    analysis_id = saved(database)
    await diagnose_saved(database=database, analyzer=model, analysis_id=analysis_id, owner=OWNER,
                         requester=REQUESTER, limits=LIMITS)
    record = get_analysis(database, analysis_id=analysis_id, owner=OWNER)
    assert record is not None
    [request] = gemini_server.requests
    assert record.digest == request.json['contents'][0]['parts'][0]['text']
    assert export_json(record)['diagnosis']['evidence_sent'] == record.digest
