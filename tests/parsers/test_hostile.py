import gzip
import io
import json

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from parsers import InputError, ReadLimits, analyze_stream


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4096))
def test_arbitrary_bytes_never_raise_anything_but_a_clear_input_error(data: bytes) -> None:
    try:
        analysis = analyze_stream(io.BytesIO(data))
    except InputError as exc:
        assert str(exc)
        return
    assert analysis.lines >= analysis.events
    assert sum(group.count for group in analysis.groups) == analysis.events


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    '2026-11-26 09:14:02,101 ERROR [a] boom 1', 'Traceback (most recent call last):', '  File "x.py", line 1',
    'KeyError: 1', '', '{"level":"warn","msg":"x"}', 'panic: oops', 'goroutine 1 [running]:', 'main.main()',
    '\tat a.B(C.java:1)', 'Caused by: x.Y: z', 'During handling of the above exception, another exception occurred:',
    '{"log":"partial","stream":"stdout"}', 'level=info msg=hi', '<14>Nov 26 09:14:02 host app[1]: hi',
]), max_size=60))
def test_every_line_lands_in_exactly_one_event(lines: list[str]) -> None:
    data = '\n'.join(lines).encode()
    assume(data)  # an empty stream is refused, as test_reader shows
    covered: list[int] = []
    analysis = analyze_stream(io.BytesIO(data),
                              on_event=lambda first, last, group, level, ts: covered.extend(range(first, last + 1)))
    assert covered == list(range(1, analysis.lines + 1))


def test_decompression_bomb_is_refused() -> None:
    bomb = gzip.compress(b'x' * (8 * 1024 * 1024))
    with pytest.raises(InputError, match='decompresses to more than'):
        analyze_stream(io.BytesIO(bomb), ReadLimits(max_decompressed_bytes=1024 * 1024))


def test_binary_is_refused() -> None:
    with pytest.raises(InputError, match='binary'):
        analyze_stream(io.BytesIO(bytes(range(256)) * 100))


def test_deeply_nested_json_is_read_as_text() -> None:
    deep = '{"a":' * 50_000 + '1' + '}' * 50_000
    analysis = analyze_stream(io.BytesIO(f'{{"level":"error","msg":"x"}}\n{deep}\n'.encode()),
                              ReadLimits(max_line_bytes=200_000))
    assert analysis.lines == 2


def test_huge_line_is_cut_and_the_next_kept() -> None:
    data = b'2026-11-26 09:14:02,101 INFO [a] ' + b'y' * 5_000_000 + b'\n2026-11-26 09:14:03,101 ERROR [a] next\n'
    analysis = analyze_stream(io.BytesIO(data))
    assert analysis.lines == 2
    assert analysis.truncated_lines == 1
    assert analysis.groups[0].level == 'ERROR'


def test_many_distinct_messages_stay_within_the_group_bound() -> None:
    lines = '\n'.join(json.dumps({'level': 'info', 'msg': ' '.join(f'w{i}x{j}' for j in range(i % 7 + 1))})
                      .replace('x', chr(97 + i % 26)) for i in range(3000))
    analysis = analyze_stream(io.BytesIO(lines.encode()), ReadLimits(max_groups=50))
    assert analysis.events == 3000
    assert len(analysis.groups) <= 50 + 1


def test_utf16_log_is_read() -> None:
    analysis = analyze_stream(io.BytesIO('2026-11-26 09:14:02,101 ERROR [a] disque plein\n'.encode('utf-16')))
    assert analysis.groups[0].template == 'disque plein'


@pytest.mark.parametrize('line', [
    '1.1.1.1 - - [' + 'x' * 60_000,
    '20171223-22:15:29:606|' * 2800,
    '2026-01-01 00:00:00,000 INFO ' + '[' * 60_000,
    '2026-01-01 00:00:00,000 INFO [' + '[a]' * 20_000,
    'x' * 60_000,
    '{"a":' * 20_000,
    '"' * 60_000,
], ids=['access-unclosed', 'many-pipes', 'brackets', 'nested-brackets', 'one-word', 'deep-json', 'quotes'])
def test_pathological_lines_are_read_one_event_each(line: str) -> None:
    # These once took seconds per line (patterns that rescanned the rest of the line at every position).
    analysis = analyze_stream(io.BytesIO(((line + '\n') * 20).encode()))
    assert (analysis.lines, analysis.events) == (20, 20)


def test_routes_past_the_group_bound_share_one_group_per_method_and_status() -> None:
    lines = '\n'.join(f'10.0.0.1 - - [26/Nov/2026:09:14:02 +0000] "GET /{word}x HTTP/1.1" 404 5'
                      for word in ('alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'))
    analysis = analyze_stream(io.BytesIO(lines.encode()), ReadLimits(max_groups=3))
    assert [(group.template, group.count) for group in analysis.groups] == [
        ('GET <*> 404', 3), ('GET /alphax 404', 1), ('GET /betax 404', 1), ('GET /gammax 404', 1)]
