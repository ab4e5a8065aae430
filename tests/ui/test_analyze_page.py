import gzip
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
from tests.upload_samples import (
    NAMED_LOGS,
    ROTATED_APP_LOG,
    elf_program,
    pdf_document,
    png_image,
    tar_of_logs,
    zip_of_logs,
)
from ui.analyze_page import paste_name

DISK_FULL = '2026-01-01 10:00:00 ERROR write failed: No space left on device\n'


async def analyze_text(user: User, text: str) -> None:
    await user.open('/')
    user.find('Or paste log text').type(text)
    user.find(marker='analyze').click()
    await user.should_see('Problem to diagnose', retries=WAIT)


async def test_pasted_log_is_saved_and_shown_with_a_diagnosis(user: User) -> None:
    await user.open('/')
    await user.should_see('Offline diagnoses are free and unlimited')
    await analyze_text(user, DISK_FULL)
    await user.should_see('1 lines, 1 events')
    await user.should_see('Disk full', retries=WAIT)  # the offline analyzer answers at once
    await user.should_see('Offline diagnoses are free and unlimited')


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


async def test_offline_diagnoses_are_unlimited_for_a_guest(user: User) -> None:
    for number in range(5):
        await analyze_text(user, f'2026-01-01 10:00:00 ERROR failure number {number} in worker\n')
        await user.should_see(f'failure number {number} in worker', retries=WAIT)
        await user.should_see('The built-in offline analyzer answers for free')
    await user.should_not_see('You have used your 3 free diagnoses')
    await user.should_see('Offline diagnoses are free and unlimited')


async def upload(user: User, name: str, data: bytes) -> None:
    await user.open('/')
    widget = user.find(ui.upload).elements.pop()
    await widget.handle_uploads([SmallFileUpload(name, 'application/octet-stream', data)])


@pytest.mark.parametrize('name', list(NAMED_LOGS))
async def test_a_log_under_any_name_is_analyzed(user: User, name: str) -> None:
    await upload(user, name, NAMED_LOGS[name])
    await user.should_see('Problem to diagnose', retries=WAIT)
    await user.should_see(name)


@pytest.mark.parametrize(('name', 'data', 'message'), [
    ('core.bin', bytes(range(256)) * 8, 'this looks like a binary file, not a text log'),
    ('screenshot.png', png_image(), 'this looks like a PNG image, not a text log'),
    ('logs.zip', zip_of_logs(), 'this looks like a ZIP archive, not a text log'),
    ('logs.tar.gz', gzip.compress(tar_of_logs()), 'this looks like a TAR archive inside the compressed file, not a '
                                                  'text log'),
    ('report.pdf', pdf_document(), 'this looks like a PDF document, not a text log'),
    ('server', elf_program(), 'this looks like a program (ELF executable), not a text log'),
    ('app.log', b'', 'the file is empty'),
    ('bomb.log.gz', gzip.compress(b'x' * 20 * 1024 * 1024), 'the file inflates to more than 100 times its compressed '
                                                             'size'),
], ids=['binary', 'png', 'zip', 'tar.gz', 'pdf', 'elf', 'empty', 'bomb'])
async def test_a_refused_upload_names_its_reason(user: User, name: str, data: bytes, message: str) -> None:
    await upload(user, name, data)
    await user.should_see(f'Error: {message}', retries=WAIT)
    await user.should_not_see('Problem to diagnose')


async def test_compressed_logs_are_still_taken(user: User) -> None:
    await upload(user, 'app.log.2.gz', gzip.compress(ROTATED_APP_LOG))
    await user.should_see('2 lines, 2 events', retries=WAIT)


@pytest.mark.parametrize(('reason', 'message'), [
    ('max-file-size', 'That file is larger than 200 MB, the largest log accepted.'),
    ('filter', 'The browser refused that file (filter).'),
])
async def test_a_file_the_browser_refuses_names_its_reason(user: User, reason: str, message: str) -> None:
    await user.open('/')
    user.find(ui.upload).trigger('rejected', [{'failedPropValidation': reason, 'file': {}}])
    await user.should_see(f'Error: {message}')


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
