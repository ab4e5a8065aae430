from __future__ import annotations

import pytest
from nicegui.testing import User

from tests.gemini_server import GeminiServer, Reply
from tests.ui.test_api import LOG, bearer, diagnose_new_error, new_key
from tests.ui.test_api_models import conforms


@pytest.fixture
def gemini_one_a_day(gemini_server: GeminiServer, monkeypatch: pytest.MonkeyPatch) -> GeminiServer:
    return use_gemini(gemini_server, monkeypatch, daily_cap=1)


def use_gemini(server: GeminiServer, monkeypatch: pytest.MonkeyPatch, *, daily_cap: int) -> GeminiServer:
    """The app diagnoses with the Gemini-protocol test server, and a registered user has `daily_cap` a day."""
    monkeypatch.setenv('GEMINI_API_KEY', 'api-key')
    monkeypatch.setenv('GOOGLE_GEMINI_BASE_URL', server.url)
    monkeypatch.setenv('GEMINI_MAX_RETRIES', '0')
    monkeypatch.setenv('USER_DAILY_CAP', str(daily_cap))
    return server


async def test_a_cut_off_answer_is_said_in_the_response_and_not_counted(gemini_one_a_day: GeminiServer,
                                                                         user: User) -> None:
    gemini_one_a_day.script(Reply(chunks=['## Summary\nThe disk'], finish_reason='MAX_TOKENS'),
                            Reply(chunks=['## Summary\nThe disk filled up.'], thinking_tokens=55))
    key = new_key('dev@example.com')
    first = await user.http_client.post('/api/v1/analyses?diagnose=true', json={'text': LOG}, headers=bearer(key))
    assert first.status_code == 201, first.text
    diagnosis = first.json()['diagnosis']
    assert diagnosis['model'] == 'offline'
    assert diagnosis['markdown'].startswith("> **Gemini's answer was cut off at the output limit of 8192 tokens")
    second = await user.http_client.post('/api/v1/analyses?diagnose=true', json={'text': LOG}, headers=bearer(key))
    assert second.status_code == 201, second.text  # the cut-off answer did not spend the day's one diagnosis
    diagnosis = second.json()['diagnosis']
    assert (diagnosis['model'], diagnosis['markdown'], diagnosis['thinking_tokens']) == (
        'gemini-2.5-flash', '## Summary\nThe disk filled up.', 55)


@pytest.fixture
def gemini_three_a_day(gemini_server: GeminiServer, monkeypatch: pytest.MonkeyPatch) -> GeminiServer:
    return use_gemini(gemini_server, monkeypatch, daily_cap=3)


async def test_the_fourth_model_diagnosis_of_the_day_is_429(gemini_three_a_day: GeminiServer, user: User) -> None:
    key = new_key('dev@example.com')
    for number in range(3):
        answer = await diagnose_new_error(user, key, number)
        assert answer.status_code == 201, answer.text
        assert answer.json()['diagnosis']['model'] == 'gemini-2.5-flash'
    refused = await diagnose_new_error(user, key, 3)
    assert "today's 3 diagnoses" in (await conforms(user, 'post', '/api/v1/analyses', refused, 429))['detail']
    assert len(gemini_three_a_day.requests) == 3
    kept = await user.http_client.get(f'/api/v1/analyses/{refused.json()["analysis_id"]}', headers=bearer(key))
    assert kept.status_code == 200 and kept.json()['diagnosis'] is None
