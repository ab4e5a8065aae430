from datetime import UTC, datetime, timedelta

from parsers import Analysis, ReadLimits, analyze_lines
from parsers.timeline import STEPS_SECONDS, bucket_step

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def log_at(*moments: tuple[datetime, str]) -> list[str]:
    return [f'{moment:%Y-%m-%d %H:%M:%S},000 {message}' for moment, message in moments]


def test_a_two_second_paste_gets_one_second_buckets() -> None:
    analysis = analyze_lines(log_at((START, 'ERROR boom'), (START + timedelta(seconds=1), 'INFO retry'),
                                    (START + timedelta(seconds=2), 'ERROR boom')))
    assert analysis.timeline_step_seconds == 1
    assert [(bucket.start, bucket.counts) for bucket in analysis.timeline] == [
        (START, {'ERROR': 1}), (START + timedelta(seconds=1), {'INFO': 1}),
        (START + timedelta(seconds=2), {'ERROR': 1}),
    ]


def test_bursts_years_apart_keep_their_detail_for_zooming_in() -> None:
    later = START.replace(year=2029)
    lines = log_at(*[(moment + timedelta(seconds=n), f'INFO tick {n}') for moment in (START, later) for n in range(90)])
    analysis = analyze_lines(lines)
    # Two minutes of log in each burst: a round width that keeps every second apart fits in 1,000 buckets.
    assert analysis.timeline_step_seconds == 1
    assert len(analysis.timeline) == 180
    assert analysis.timeline[-1].start == later + timedelta(seconds=89)


def test_the_width_grows_until_the_non_empty_buckets_fit() -> None:
    seconds = [float(n) for n in range(0, 86400, 7)]  # an event every 7 s for a day
    step = bucket_step(seconds, 120)
    assert step == 900  # 96 quarter-hours; ten-minute buckets would be 144
    assert len({second // step for second in seconds}) <= 120
    # Rows counted per minute: never narrower than a minute.
    assert bucket_step([0.0, 3600.0], 120) == 1
    assert bucket_step([0.0, 3600.0], 120, resolution=60) == 60
    assert bucket_step([0.0, 1e10], 1) == STEPS_SECONDS[-1]


def test_each_group_counts_its_events_over_the_span_in_a_few_slices() -> None:
    lines = log_at(*[(START + timedelta(minutes=n), 'INFO heartbeat ok') for n in range(0, 600, 5)],
                   (START + timedelta(minutes=301), 'ERROR disk full'),
                   (START + timedelta(minutes=302), 'ERROR disk full'))
    analysis = analyze_lines(lines, limits=ReadLimits(activity_slices=12))
    heartbeat, = (group for group in analysis.groups if 'heartbeat' in group.template)
    disk, = (group for group in analysis.groups if 'disk' in group.template)
    assert analysis.activity.start == START
    assert analysis.activity.step_seconds == 3600  # ten hours in ten slices: the first round width that fits 12
    assert heartbeat.activity == [12] * 10
    assert sum(heartbeat.activity) == heartbeat.count
    assert disk.activity == [0, 0, 0, 0, 0, 2]  # only up to its last slice


def test_first_and_last_seen_are_the_earliest_and_latest_times_not_lines() -> None:
    # Two files joined: the later one first.
    lines = log_at((START + timedelta(hours=2), 'ERROR disk full'), (START + timedelta(hours=3), 'ERROR disk full'),
                   (START, 'ERROR disk full'), (START + timedelta(hours=1), 'ERROR disk full'))
    analysis = analyze_lines(lines)
    [group] = analysis.groups
    naive = START.replace(tzinfo=None)  # the log writes no zone
    assert (group.first_seen, group.last_seen) == (naive, naive + timedelta(hours=3))
    assert group.first_line == 1
    assert analysis.first_timestamp is not None and analysis.first_timestamp.hour == 9


def test_a_log_with_more_seconds_than_rows_is_counted_per_minute() -> None:
    lines = log_at(*[(START + timedelta(seconds=n), 'INFO tick') for n in range(300)])
    fine = analyze_lines(lines)
    coarse = analyze_lines(lines, limits=ReadLimits(timeline_rows=100, timeline_buckets=10))
    assert fine.timeline_step_seconds == 1
    assert coarse.timeline_step_seconds == 60
    assert [bucket.counts for bucket in coarse.timeline] == [{'INFO': 60}] * 5
    assert coarse.groups[0].activity == [60] * 5


def test_events_without_a_level_are_counted_as_volume() -> None:
    lines = [f'2026-11-26T09:{minute:02d}:00Z worker picked job {minute}' for minute in range(0, 40, 3)]
    analysis = analyze_lines(lines)
    assert sum(bucket.counts.get('NONE', 0) for bucket in analysis.timeline) == 14
    assert analysis.timeline_step_seconds == 1


def test_groups_active_in_a_stretch_of_time() -> None:
    lines = log_at(*[(START + timedelta(minutes=n), 'INFO heartbeat ok') for n in range(0, 120, 10)],
                   (START + timedelta(minutes=5), 'ERROR early failure'),
                   (START + timedelta(minutes=115), 'ERROR late failure'))
    analysis = analyze_lines(lines)
    ids = {group.template.split()[0]: group.id for group in analysis.groups}
    assert analysis.active_groups(START, START + timedelta(minutes=30)) == {ids['heartbeat'], ids['early']}
    assert analysis.active_groups(START + timedelta(minutes=100), START + timedelta(hours=3)) == {
        ids['heartbeat'], ids['late']}
    assert analysis.active_groups(START + timedelta(days=1), START + timedelta(days=2)) == set()


def test_a_group_seen_early_and_late_is_not_active_in_between() -> None:
    lines = log_at((START, 'ERROR flapping link'), (START + timedelta(hours=10), 'ERROR flapping link'),
                   *[(START + timedelta(hours=n), 'INFO heartbeat ok') for n in range(11)])
    analysis = analyze_lines(lines)
    flapping = next(group for group in analysis.groups if 'flapping' in group.template)
    quiet = analysis.active_groups(START + timedelta(hours=4), START + timedelta(hours=6))
    assert flapping.id not in quiet and len(quiet) == 1


def test_the_activity_reads_back_and_an_analysis_saved_before_it_still_filters() -> None:
    analysis = analyze_lines(log_at((START, 'ERROR boom'), (START + timedelta(minutes=3), 'ERROR boom')))
    assert Analysis.from_dict(analysis.to_dict()) == analysis
    older = analysis.to_dict()
    older['schema_version'] = 1
    del older['activity']
    for group in older['groups']:
        del group['activity']
    reopened = Analysis.from_dict(older)
    assert reopened.groups[0].activity == [] and reopened.activity.start is None
    assert reopened.active_groups(START, START + timedelta(minutes=1)) == {reopened.groups[0].id}
