import json
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import AppServer, save_screenshot

FIXTURES = Path(__file__).parents[1] / 'fixtures'


def test_guest_previews_the_redacted_evidence_and_watches_the_answer_stream_in(
        page: Page, gemini_app_server: AppServer, gemini_process: str) -> None:
    page.set_viewport_size({'width': 1280, 'height': 800})
    page.goto(gemini_app_server.url)
    page.locator('input[type=file]').set_input_files(str(FIXTURES / 'secrets.log'))
    expect(page.get_by_text('Redacted: 1 AWS access key')).to_be_visible(timeout=20_000)
    preview = page.get_by_text('charge failed card=<CARD_NUMBER_1>').first
    page.get_by_text('Preview the exact text sent').click()
    expect(preview).to_be_visible()
    page.get_by_text('Preview the exact text sent').click()  # closed again, so the button below stops moving
    expect(preview).to_be_hidden()
    ask = page.get_by_role('button', name='Diagnose with gemini-2.5-flash')
    ask.click()
    expect(ask).to_be_disabled()
    summary = page.get_by_role('heading', name='Summary')
    prevention = page.get_by_role('heading', name='Prevention')
    expect(summary).to_be_visible(timeout=10_000)
    expect(prevention).to_have_count(0)  # the last chunk has not arrived yet: the answer is streaming
    expect(prevention).to_be_visible(timeout=10_000)
    expect(page.get_by_text('2 of 3 free diagnoses by the AI model left')).to_be_visible()
    save_screenshot(page, 'diagnosis-streamed-1280x800')
    with urllib.request.urlopen(f'{gemini_process}/_control/requests', timeout=5) as response:  # noqa: S310
        sent = json.dumps(json.load(response))
    for secret in (FIXTURES / 'planted_secrets.txt').read_text().splitlines():
        assert secret not in sent
