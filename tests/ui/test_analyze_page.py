from pathlib import Path

from nicegui import ui
from nicegui.elements.upload_files import SmallFileUpload
from nicegui.testing import User


async def test_pasted_log_shows_summary_and_diagnosis(user: User) -> None:
    await user.open('/')
    await user.should_see('3 of 3 free analyses left')
    user.find('Or paste log text').type('2026-01-01 10:00:00 ERROR write failed: No space left on device\n')
    user.find(kind=ui.button, content='Analyze').click()
    await user.should_see('1 lines, 1 events', retries=50)
    await user.should_see('Disk full')
    await user.should_see('2 of 3 free analyses left')


async def test_uploaded_file_is_analyzed(user: User, fixtures_dir: Path) -> None:
    await user.open('/')
    upload = user.find(ui.upload).elements.pop()
    data = (fixtures_dir / 'app.log').read_bytes()
    await upload.handle_uploads([SmallFileUpload('app.log', 'text/plain', data)])
    await user.should_see('16 lines', retries=50)
    await user.should_see('Database connection refused')


async def test_empty_paste_is_a_clear_message(user: User) -> None:
    await user.open('/')
    user.find(kind=ui.button, content='Analyze').click()
    await user.should_see('Error: Paste some log text or choose a file first.')


async def test_free_analyses_run_out(user: User) -> None:
    await user.open('/')
    for _ in range(3):
        user.find('Or paste log text').type('ERROR boom\n')
        user.find(kind=ui.button, content='Analyze').click()
        await user.should_see('Analyzed pasted text.', retries=50)
    user.find(kind=ui.button, content='Analyze').click()
    await user.should_see('You have used your 3 free analyses.', retries=50)
    await user.should_see('0 of 3 free analyses left')
