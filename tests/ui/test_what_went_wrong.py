from nicegui import ui
from nicegui.testing import User

from tests.ui.test_diagnosis_panel import paste_and_analyze

# A cache miss every few seconds all through the log, and one fatal write failure in the middle of it.
ROUTINE = '2026-11-26 10:{minute:02d}:{second:02d} ERROR [cache] cache miss for key user:{n}'
FATAL = '2026-11-26 10:05:00 FATAL [store] cannot write /var/lib/app/state.db: No space left on device'


def frequent_and_rare_log() -> str:
    lines = [ROUTINE.format(minute=n // 20, second=n % 20 * 3, n=n) for n in range(200)]
    lines.insert(100, FATAL)
    return '\n'.join(lines) + '\n'


async def test_the_page_opens_with_the_rare_fatal_error_and_why_before_the_routine_one(user: User) -> None:
    await paste_and_analyze(user, frequent_and_rare_log())
    first = user.find(marker='incident-1', kind=ui.label).elements.pop().text
    assert first.startswith('FATAL "cannot write <*> No space left on device" happened once, '
                            'at 2026-11-26 10:05:00 (line 101); it ranks high because: logged at FATAL;')
    assert 'rare: once in 201 events' in first
    assert 'worded like a cause: "cannot", "no space"' in first
    second = user.find(marker='incident-2', kind=ui.label).elements.pop().text
    assert second.startswith('ERROR "cache miss for key <*>" happened 200 times, '
                             'first at 2026-11-26 10:00:00 (line 1), last at 2026-11-26 10:09:57;')
    user.find(marker='open-incident-1').click()
    await user.should_see('First occurrence, line 101')
    shown = {row['n'] for row in user.find(marker='log-lines').elements.pop().props['items']}
    assert {100, 101, 102} <= shown  # the event with the lines before and after it


async def test_a_log_without_errors_says_so(user: User) -> None:
    await paste_and_analyze(user, '2026-11-26 10:00:00 INFO started\n2026-11-26 10:00:01 INFO ready\n')
    await user.should_see('What went wrong')
    await user.should_see('No errors or incident-like events found.')
    await user.should_not_see(marker='incident-1')


async def test_a_log_without_times_says_where_by_line_number(user: User) -> None:
    await paste_and_analyze(user, 'ERROR disk quota exceeded\nINFO retrying\nERROR disk quota exceeded\n')
    await user.should_see('"ERROR disk quota exceeded" happened 2 times, first at line 1, last at line 3;')
