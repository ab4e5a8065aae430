from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from nicegui import ui
from nicegui.testing import User

from tests.gemini_server import GeminiServer, Reply
from tests.ui.waits import WAIT

DISK_FULL = '2026-01-01 10:00:00 ERROR write failed: No space left on device\n'
LEFT = '{} of 3 free diagnoses by the AI model left; offline answers are unlimited'


@pytest.fixture
def gemini(gemini_server: GeminiServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[GeminiServer]:
    monkeypatch.setenv('GEMINI_API_KEY', 'page-key')
    monkeypatch.setenv('GOOGLE_GEMINI_BASE_URL', gemini_server.url)
    monkeypatch.setenv('GEMINI_MAX_RETRIES', '0')
    yield gemini_server


async def paste_and_analyze(user: User, text: str) -> None:
    await user.open('/')
    user.find('Or paste log text').type(text)
    user.find(marker='analyze').click()
    await user.should_see('Problem to diagnose', retries=WAIT)


async def test_the_redacted_evidence_is_shown_before_anything_is_sent(gemini: GeminiServer, user: User,
                                                                      fixtures_dir: Path) -> None:
    await paste_and_analyze(user, (fixtures_dir / 'secrets.log').read_text())
    await user.should_see('Redacted: 1 AWS access key, 1 AWS secret key, 1 JSON web token')
    await user.should_see('Preview the exact text sent')
    preview = user.find(kind=ui.code).elements.pop()
    assert 'charge failed card=<CARD_NUMBER_1>' in preview.content
    assert '<<<LOG EVIDENCE START>>>' in preview.content
    assert gemini.requests == []  # nothing leaves before the person asks
    await user.should_see(LEFT.format(3))


async def test_the_answer_streams_in_and_only_redacted_text_leaves(gemini: GeminiServer, user: User,
                                                                   fixtures_dir: Path) -> None:
    gemini.script(Reply(chunks=['## Summary\nThe payment provider refused connections.',
                                '\n\n## Root cause\nNothing listened on its port.'], chunk_delay=1.5,
                        prompt_tokens=2100, answer_tokens=64))
    await paste_and_analyze(user, (fixtures_dir / 'secrets.log').read_text())
    user.find(kind=ui.button, content='Diagnose with gemini-2.5-flash').click()
    await user.should_see('The payment provider refused connections.', retries=WAIT)
    await user.should_not_see('Nothing listened on its port.')  # the second chunk is still being written
    await user.should_see('Nothing listened on its port.', retries=WAIT)
    await user.should_see('gemini-2.5-flash: 2100 tokens in, 64 out')
    await user.should_see(LEFT.format(2))
    sent = gemini.sent_text()
    for secret in (fixtures_dir / 'planted_secrets.txt').read_text().splitlines():
        assert secret not in sent


async def test_a_model_failure_keeps_the_results_and_falls_back(gemini: GeminiServer, user: User) -> None:
    gemini.script(Reply(status=500))
    await paste_and_analyze(user, DISK_FULL)
    user.find(kind=ui.button, content='Diagnose with gemini-2.5-flash').click()
    await user.should_see('Gemini had a server error (500)', retries=WAIT)
    await user.should_see('Below is the offline analysis instead.')
    await user.should_see('Disk full')
    await user.should_see('1 lines, 1 events')  # the parse results stay on screen
    await user.should_see(LEFT.format(3))  # a failed model call is not counted


@pytest.fixture
def short_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('GEMINI_MAX_OUTPUT_TOKENS', '2000')


async def test_a_cut_off_answer_says_so_and_is_not_counted(gemini: GeminiServer, short_answers: None,
                                                           user: User) -> None:
    gemini.script(Reply(chunks=['## Summary\nThe disk', ' filled up because'], finish_reason='MAX_TOKENS'),
                  Reply(chunks=['## Summary\nThe disk filled up.'], thinking_tokens=77))
    await paste_and_analyze(user, DISK_FULL)
    user.find(kind=ui.button, content='Diagnose with gemini-2.5-flash').click()
    await user.should_see('answer was cut off at the output limit of 2000 tokens', retries=WAIT)
    await user.should_see("gemini-2.5-flash's answer was not used, so this attempt is not counted")
    await user.should_see('Below is the offline analysis instead.')
    await user.should_see(LEFT.format(3))
    user.find(kind=ui.button, content='Diagnose with gemini-2.5-flash').click()
    await user.should_see('The disk filled up.', retries=WAIT)
    await user.should_see('gemini-2.5-flash: 1200 tokens in, 300 out, 77 thinking')
    await user.should_see(LEFT.format(2))
    [first, _] = gemini.requests
    assert first.json['generationConfig']['maxOutputTokens'] == 2000


async def test_a_blocked_request_says_so_and_is_not_counted(gemini: GeminiServer, user: User) -> None:
    gemini.script(Reply(block_reason='SAFETY'))
    await paste_and_analyze(user, DISK_FULL)
    user.find(kind=ui.button, content='Diagnose with gemini-2.5-flash').click()
    await user.should_see('Gemini refused to read the evidence (blocked: SAFETY).', retries=WAIT)
    await user.should_see(LEFT.format(3))


async def test_the_fourth_model_diagnosis_of_a_guest_is_refused(gemini: GeminiServer, user: User) -> None:
    for number in range(3):
        await paste_and_analyze(user, f'2026-01-01 10:00:00 ERROR failure number {number} in worker\n')
        await user.should_see(LEFT.format(3 - number))
        user.find(kind=ui.button, content='Diagnose with gemini-2.5-flash').click()
        await user.should_see(LEFT.format(2 - number), retries=WAIT)
    await paste_and_analyze(user, '2026-01-01 10:00:00 ERROR yet another failure\n')
    user.find(kind=ui.button, content='Diagnose with gemini-2.5-flash').click()
    await user.should_see('You have used your 3 free diagnoses. Register for unlimited diagnoses.', retries=WAIT)
    [link] = [link for link in user.find(ui.link).elements if link.text == 'Register for unlimited diagnoses']
    assert link.props['href'] == '/register'
    assert len(gemini.requests) == 3


async def test_the_same_question_to_the_model_again_is_free(gemini: GeminiServer, user: User) -> None:
    for _ in range(2):
        await paste_and_analyze(user, DISK_FULL)
        user.find(kind=ui.button, content='Diagnose with gemini-2.5-flash').click()
        await user.should_see('gemini-2.5-flash: ', retries=WAIT)
        await user.should_see(LEFT.format(2), retries=WAIT)
    assert len(gemini.requests) == 1


async def test_two_guests_with_different_logs_never_see_each_others_answer(user: User,
                                                                           create_user: Callable[[], User]) -> None:
    await paste_and_analyze(user, '2026-01-01 10:00:00 WARN export of /srv/alice/payroll.csv: '
                                  'No space left on device\n')
    await user.should_see('Disk full', retries=WAIT)
    await user.should_see('payroll.csv')
    stranger = create_user()
    await paste_and_analyze(stranger, '2026-01-01 10:00:00 INFO bob-node-3 started\n'
                                      '2026-01-01 10:00:01 INFO bob-node-3 ready\n')
    await stranger.should_see('No errors and no known failure found in 2 lines.', retries=WAIT)
    await stranger.should_not_see('payroll')
    await stranger.should_not_see('Disk full')
