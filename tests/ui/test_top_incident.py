import itertools

from nicegui import ui
from nicegui.testing import User

from tests.ui.test_diagnosis_panel import paste_and_analyze

WORDS = [letter * 3 for letter in 'abcdefghijklmnopqrstuvwxy']


async def test_the_top_incident_is_the_problem_to_diagnose_even_past_the_listed_groups(user: User) -> None:
    # 520 routes failing twice each: more error groups than the table lists, all outranked by one rare warning.
    routes = [f'/{first}/{second}' for first, second in itertools.product(WORDS, WORDS)][:520]
    lines = [f'10.0.0.{index % 250} - - [26/Nov/2026:10:{index // 60 % 60:02d}:{index % 60:02d} +0000] '
             f'"GET {route} HTTP/1.1" 500 12 "-" "curl/8"' for _ in range(2) for index, route in enumerate(routes)]
    lines.append('2026-11-26T10:30:00+00:00 WARN cannot open /data/queue.db: Permission denied')
    await paste_and_analyze(user, '\n'.join(lines) + '\n')
    choice = next(select for select in user.find(kind=ui.select).elements
                  if isinstance(select, ui.select) and select.props.get('label') == 'Problem to diagnose')
    assert choice.options[choice.value] == 'WARN × 1: cannot open <*> Permission denied'
