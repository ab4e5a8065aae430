import io

from parsers import Excerpt, ReadLimits, analyze_lines, analyze_stream

LIMITS = ReadLimits(context_lines=2, context_after_lines=2, kept_occurrences=2)


def numbered_log(count: int, errors_at: set[int]) -> list[str]:
    return [f'2026-11-26 10:00:00 ERROR [db] query {n} timed out' if n in errors_at
            else f'2026-11-26 10:00:00 INFO [web] request {n} served' for n in range(1, count + 1)]


def test_the_lines_before_and_after_the_first_occurrences_and_the_last_one_are_kept() -> None:
    log = numbered_log(100, {10, 20, 30, 90})
    errors = next(group for group in analyze_lines(log, LIMITS).groups if group.level == 'ERROR')
    assert errors.last_line == 90
    # The first two occurrences and the last one, each with two lines before and two after; line 30 is not kept.
    assert errors.excerpts == [Excerpt(8, log[7:12]), Excerpt(18, log[17:22]), Excerpt(88, log[87:92])]


def test_the_lines_after_a_stack_trace_follow_the_whole_trace() -> None:
    trace = ['2026-11-26 10:00:00 ERROR [app] request failed', 'Traceback (most recent call last):',
             '  File "app.py", line 88, in handle', 'ValueError: bad input']
    log = [*numbered_log(5, set()), *trace, *numbered_log(5, set())]
    crash = next(group for group in analyze_lines(log, LIMITS).groups if group.exception)
    [excerpt] = crash.excerpts
    assert excerpt.first_line == 4
    assert excerpt.lines == [*log[3:5], *trace, *log[9:11]]


def test_overlapping_windows_of_one_group_become_one_excerpt() -> None:
    log = numbered_log(20, {10, 12})
    errors = next(group for group in analyze_lines(log, LIMITS).groups if group.level == 'ERROR')
    assert errors.excerpts == [Excerpt(8, log[7:14])]


def test_kept_lines_stay_within_the_limit_and_every_group_keeps_its_first_occurrence_before_more() -> None:
    log = numbered_log(1000, set(range(100, 1000, 100)))
    limits = ReadLimits(context_lines=2, context_after_lines=2, kept_occurrences=20, max_kept_lines=30)
    groups = analyze_lines(log, limits).groups
    kept = sum(len(excerpt.lines) for group in groups for excerpt in group.excerpts)
    assert kept <= 30
    for group in groups:
        assert group.excerpts[0].first_line <= group.first_line <= group.excerpts[0].last_line
        assert any(excerpt.first_line <= group.last_line <= excerpt.last_line for excerpt in group.excerpts)


def test_a_file_is_read_again_for_its_excerpts_and_long_lines_are_cut_and_marked() -> None:
    log = numbered_log(50, {25})
    log[25] = '2026-11-26 10:00:00 INFO [web] ' + 'x' * 5000
    analysis = analyze_stream(io.BytesIO(('\n'.join(log) + '\n').encode()), LIMITS)
    errors = next(group for group in analysis.groups if group.level == 'ERROR')
    assert errors.excerpts == [Excerpt(23, [*log[22:25], log[25][:1000] + ' …[line truncated]', log[26]])]


class Pipe(io.BytesIO):
    def seekable(self) -> bool:
        return False


def test_a_pipe_is_read_once_and_keeps_no_excerpts() -> None:
    analysis = analyze_stream(Pipe(('\n'.join(numbered_log(50, {25})) + '\n').encode()), LIMITS)
    assert analysis.lines == 50
    assert all(group.excerpts == [] for group in analysis.groups)


def test_a_line_near_many_groups_counts_once_against_the_limit() -> None:
    # Every line its own group: the windows of neighbouring groups share almost all their lines.
    log = [f'2026-11-26 10:00:00 INFO [web] step{"x" * n} done' for n in range(1, 201)]
    limits = ReadLimits(context_lines=2, context_after_lines=2, kept_occurrences=1, max_kept_lines=210)
    groups = analyze_lines(log, limits).groups
    assert len(groups) == 200
    kept = {excerpt.first_line + index for group in groups for excerpt in group.excerpts
            for index in range(len(excerpt.lines))}
    assert kept == set(range(1, 201))
    assert all(excerpt.lines == log[excerpt.first_line - 1:excerpt.last_line]
               for group in groups for excerpt in group.excerpts)


def test_a_group_past_the_limit_still_shows_its_first_event_and_the_lines_before_it() -> None:
    log = [f'2026-11-26 10:00:00 INFO [web] step{"x" * n} done' for n in range(1, 101)]
    limits = ReadLimits(context_lines=2, context_after_lines=2, kept_occurrences=1, max_kept_lines=10)
    last = analyze_lines(log, limits).groups[-1]
    [excerpt] = last.excerpts
    assert excerpt.last_line == last.first_line == 100
    assert len(excerpt.lines) > 1
    assert excerpt.lines == log[excerpt.first_line - 1:100]
