"""A 50 MB log: it uploads, its summary appears, and the page keeps answering while the server parses it."""

import random
import re
import time
from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import AppServer

SIZE = 50 * 1024 * 1024
RESPONSE_LIMIT_SECONDS = 1.0  # far below the parse time: the page is not waiting for the parse


def write_log(path: Path) -> int:
    """Mixed, realistic lines (levels, templates with varying values, stack traces); returns the line count."""
    rng = random.Random(7)
    templates = (
        'INFO [http] GET /api/orders/{n} 200 {ms}ms',
        'INFO [worker] processed batch {n} of {m} in {ms} ms',
        'DEBUG [cache] hit ratio {n}% over {m} keys',
        'WARNING [db.pool] connection {n} slow: {ms} ms',
        'ERROR [payments] charge {n} failed: upstream timeout after {ms} ms',
        'ERROR [orders] could not save order {n}\nTraceback (most recent call last):\n'
        '  File "/srv/app/orders.py", line {m}, in save\n    session.commit()\n'
        'sqlalchemy.exc.OperationalError: database is locked',
    )
    weights = (50, 20, 10, 10, 6, 4)
    lines = written = 0
    second = 0
    with path.open('w', encoding='utf-8') as out:
        while written < SIZE:
            block = []
            for template in rng.choices(templates, weights, k=2000):
                second += 1
                stamp = f'2026-01-{1 + second // 86400 % 28:02d} {second // 3600 % 24:02d}:{second // 60 % 60:02d}:' \
                        f'{second % 60:02d},{rng.randrange(1000):03d}'
                text = template.format(n=rng.randrange(100000), m=rng.randrange(500), ms=rng.randrange(5000))
                block.append(f'{stamp} {text}\n')
            chunk = ''.join(block)
            lines += chunk.count('\n')
            written += out.write(chunk)
    return lines


def test_a_50_mb_log_is_summarized_while_the_page_keeps_answering(
        page: Page, app_server: AppServer, tmp_path: Path) -> None:
    log = tmp_path / 'big.log'
    lines = write_log(log)
    page.goto(app_server.url)
    page.get_by_label('Log file').locator('input[type=file]').set_input_files(str(log))
    status = page.get_by_role('status')
    expect(status).to_contain_text('Analyzing big.log', timeout=60_000)

    response_times = []
    for label, other in (('dark', 'light'), ('light', 'dark'), ('dark', 'light')):
        started = time.perf_counter()
        page.get_by_role('button', name=f'Switch to {label} theme').click()
        expect(page.get_by_role('button', name=f'Switch to {other} theme')).to_be_visible()
        response_times.append(time.perf_counter() - started)
        assert '/analysis/' not in page.url
        expect(status).to_contain_text('Analyzing big.log', timeout=0)  # still parsing: the toggle answered during it
    assert max(response_times) < RESPONSE_LIMIT_SECONDS, response_times

    page.wait_for_url(re.compile(r'/analysis/'), timeout=120_000)
    expect(page.get_by_text('big.log', exact=True).first).to_be_visible()
    expect(page.get_by_text(re.compile(rf'\b({lines}|{lines:,}) lines')).first).to_be_visible()
