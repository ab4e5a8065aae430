import multiprocessing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User

from services.config import Settings
from services.parsing import analyze_text as analyzed
from services.parsing import read_limits
from tests.ui.waits import WAIT
from ui.analyze_page import paste_name

DISK_FULL = '2026-01-01 10:00:00 ERROR write failed: No space left on device\n'


async def analyze_text(user: User, text: str) -> None:
    await user.open('/')
    user.find('Or paste log text').type(text)
    user.find(marker='analyze').click()
    await user.should_see('Problem to diagnose', retries=WAIT)


async def test_pasted_log_is_saved_and_shown_with_a_diagnosis(user: User) -> None:
    await user.open('/')
    await user.should_see('3 of 3 free analyses left')
    await analyze_text(user, DISK_FULL)
    await user.should_see('1 lines, 1 events')
    await user.should_see('Disk full', retries=WAIT)  # the offline analyzer answers at once
    await user.should_see('2 of 3 free analyses left')


async def test_uploaded_file_is_analyzed(user: User, fixtures_dir: Path) -> None:
    await user.open('/')
    upload = user.find(ui.upload).elements.pop()
    data = (fixtures_dir / 'app.log').read_bytes()
    await upload.handle_uploads([SmallFileUpload('app.log', 'text/plain', data)])
    await user.should_see('16 lines, 8 events', retries=WAIT)
    table = user.find(ui.table).elements.pop()
    assert 'could not connect to server: Connection refused' in table.rows[0]['template']


async def test_empty_paste_is_a_clear_message(user: User) -> None:
    await user.open('/')
    user.find(marker='analyze').click()
    await user.should_see('Error: Paste some log text or choose a file first.')


async def test_free_diagnoses_run_out_and_registration_is_offered(user: User) -> None:
    for number in range(3):
        await analyze_text(user, f'2026-01-01 10:00:00 ERROR failure number {number} in worker\n')
        await user.should_see(f'{2 - number} of 3 free analyses left', retries=WAIT)
    await analyze_text(user, '2026-01-01 10:00:00 ERROR yet another failure\n')
    await user.should_see('You have used your 3 free diagnoses. Register for unlimited diagnoses.', retries=WAIT)
    await user.should_see('Register for unlimited diagnoses')
    [link] = [link for link in user.find(ui.link).elements if link.text == 'Register for unlimited diagnoses']
    assert link.props['href'] == '/register'


async def test_the_same_question_again_is_free(user: User) -> None:
    for _ in range(2):
        await analyze_text(user, DISK_FULL)
        await user.should_see('Disk full', retries=WAIT)
        await user.should_see('2 of 3 free analyses left', retries=WAIT)


async def test_a_binary_file_is_a_clear_message(user: User) -> None:
    await user.open('/')
    upload = user.find(ui.upload).elements.pop()
    await upload.handle_uploads([SmallFileUpload('core.bin', 'application/octet-stream', bytes(range(256)) * 8)])
    await user.should_see('Error: this looks like a binary file, not a text log', retries=WAIT)


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('ANALYSIS_TIMEOUT_SECONDS', '0.05')


async def test_an_analysis_past_its_time_is_stopped_with_a_clear_message(short_timeout: None, user: User) -> None:
    big = ''.join(f'2026-01-01 10:00:{n % 60:02d} INFO request {n} served\n' for n in range(300_000)).encode()
    await user.open('/')
    upload = user.find(ui.upload).elements.pop()
    await upload.handle_uploads([SmallFileUpload('big.log', 'text/plain', big)])
    await user.should_see('Error: the analysis took longer than 0.05 seconds and was stopped; try a smaller log',
                          retries=WAIT)
    assert [worker for worker in multiprocessing.active_children() if worker.name == 'analysis'] == []


def test_a_paste_is_named_by_its_first_error_and_when_it_happened() -> None:
    pasted_at = datetime(2026, 11, 30, 10, 2, tzinfo=UTC)

    def name(text: str) -> str:
        return paste_name(analyzed(text, read_limits(Settings())), pasted_at)

    two_errors = '2026-01-01 10:00:03 ERROR payment worker 3 crashed\n2026-01-01 10:00:04 FATAL out of memory\n'
    assert name(two_errors) == 'payment worker … crashed · 2026-01-01 10:00:03'
    assert name("Traceback (most recent call last):\n  File \"x.py\", line 3, in f\nKeyError: 'user_id'\n") == (
        "KeyError: 'user_id' · pasted 2026-11-30 10:02 UTC"  # no time in the log: when it was pasted
    )
    assert name('2026-01-01 10:00:00 INFO all well\n') == 'Pasted log · 2026-01-01 10:00:00'
    assert len(name(f'2026-01-01 10:00:00 ERROR {"x" * 300}\n').split(' · ')[0]) == 80
