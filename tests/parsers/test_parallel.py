from pathlib import Path

from parsers import ReadLimits, analyze_stream


def write_log(path: Path) -> None:
    lines = []
    for n in range(3000):
        lines.append(f'2026-11-26 09:{n // 60 % 60:02d}:{n % 60:02d},000 INFO [web] request {n} served in {n % 97}ms')
        if n % 50 == 0:
            lines += [f'2026-11-26 09:{n // 60 % 60:02d}:{n % 60:02d},500 ERROR [db] query {n} failed',
                      'Traceback (most recent call last):', '  File "/srv/db.py", line 7, in run',
                      f'TimeoutError: after {n}ms']
        if n % 7 == 0:
            lines.append(f'10.0.0.{n % 250} - - [26/Nov/2026:09:00:00 +0000] "GET /items/{n} HTTP/1.1" 404 5')
    path.write_text('\n'.join(lines) + '\n', encoding='utf-8')


def test_two_workers_give_the_same_summary_as_one(tmp_path: Path) -> None:
    log = tmp_path / 'big.log'
    write_log(log)
    with log.open('rb') as stream:
        one = analyze_stream(stream, ReadLimits(workers=1))
    with log.open('rb') as stream:
        two = analyze_stream(stream, ReadLimits(workers=2, parallel_min_bytes=1024))
    assert two.lines == one.lines
    assert two.events == one.events
    assert two.level_counts == one.level_counts
    assert two.formats == one.formats
    assert two.bytes_read == one.bytes_read == log.stat().st_size
    assert two.timeline == one.timeline

    def summary(groups: list) -> list[tuple[str, str, int, int, str]]:  # type: ignore[type-arg]
        return sorted((g.level, g.template, g.count, g.first_line, g.example) for g in groups)

    assert summary(two.groups) == summary(one.groups)
    top = two.groups[0]
    assert top.exception == 'TimeoutError'
    assert top.occurrences == one.groups[0].occurrences
