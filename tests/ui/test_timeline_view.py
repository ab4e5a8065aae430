from datetime import UTC, datetime

from nicegui import ui
from nicegui.testing import User

from parsers import Bucket
from parsers.timeline import coarser
from tests.e2e.test_timeline_journey import NO_LEVELS, TWO_BURSTS
from tests.ui.test_saved_analyses import analyze
from ui.timeline_view import DISPLAY_BARS

NINE = datetime(2026, 11, 26, 9, 0, tzinfo=UTC).timestamp()


def timeline(user: User) -> ui.echart:
    return next(chart for chart in user.find(kind=ui.echart).elements if 'xAxis' in chart.options)


def listed(user: User) -> list[str]:
    table = user.find(kind=ui.table).elements.pop()
    return sorted(row['template'] for row in table.rows)


def bars(chart: ui.echart) -> dict[str, list[int]]:
    return {series['name']: [count for _, count in series['data']] for series in chart.options['series']}


async def test_zooming_in_lists_only_the_groups_of_the_stretch_in_view(user: User) -> None:
    await user.open(await analyze(user, TWO_BURSTS))
    assert listed(user) == ['connection pool exhausted', 'redis timeout after <*>', 'request served in <*>']
    chart = timeline(user)
    # An hour and 30 s of log in one-minute bars; each burst is one bar.
    assert sum(1 for count in bars(chart)['INFO'] if count) == 2
    await user.should_see('1-minute bars.')
    user.find(kind=ui.echart).trigger('chart:datazoom', {'batch': [{'start': 50, 'end': 100}]})
    assert listed(user) == ['redis timeout after <*>', 'request served in <*>']
    await user.should_see('Groups seen 2026-11-26 09:30:15 – 10:00:30: 2 of 3.')
    # Half an hour in view: the bars narrow (15-second ones would be 121, one more than fit).
    await user.should_see('30-second bars.')
    assert chart.options['dataZoom'][1]['start'] == 50
    user.find('Show all times').click()
    assert len(listed(user)) == 3
    await user.should_not_see('Groups seen')


async def test_a_brushed_stretch_lists_its_groups_until_it_is_cleared(user: User) -> None:
    await user.open(await analyze(user, TWO_BURSTS))
    first_minute = [NINE * 1000, (NINE + 60) * 1000]
    user.find(kind=ui.echart).trigger('chart:brushEnd', {'areas': [{'brushType': 'lineX', 'coordRange': first_minute}]})
    assert listed(user) == ['connection pool exhausted', 'request served in <*>']
    await user.should_see('Groups seen 2026-11-26 09:00:00 – 09:01:00: 2 of 3.')
    user.find(kind=ui.echart).trigger('chart:brush', {'areas': []})
    assert len(listed(user)) == 3


async def test_each_group_has_a_sparkline_of_its_events_over_time(user: User) -> None:
    await user.open(await analyze(user, TWO_BURSTS))
    table = user.find(kind=ui.table).elements.pop()
    rows = {row['template']: row for row in table.rows}
    assert 'Over time' in [column['label'] for column in table.columns]
    late = rows['redis timeout after <*>']
    points = [tuple(map(float, point.split(','))) for point in late['activity'].split()]
    assert len(points) >= 2 and points[-1][1] < points[0][1]  # flat until the end, where it rises
    assert late['activity_text'] == 'busiest 2026-11-26 10:00: 1 event in 2 minutes'


async def test_a_log_with_times_but_no_levels_shows_its_volume(user: User) -> None:
    await user.open(await analyze(user, NO_LEVELS))
    await user.should_see('No levels found in this log: the timeline shows how many events there were.')
    assert bars(timeline(user)).keys() == {'Events'}
    assert sum(bars(timeline(user))['Events']) == 14


def test_display_bars_are_never_wider_than_what_they_count() -> None:
    buckets = [Bucket(datetime.fromtimestamp(NINE, UTC), {'ERROR': 2}),
               Bucket(datetime.fromtimestamp(NINE + 2, UTC), {'ERROR': 1})]
    step, shown = coarser(buckets, 1, (NINE, NINE + 3), DISPLAY_BARS)
    # A two-second paste: three one-second bars, the empty one too, not a block as wide as the gap.
    assert step == 1
    assert [(bar.start.timestamp(), bar.counts) for bar in shown] == [
        (NINE, {'ERROR': 2}), (NINE + 1, {}), (NINE + 2, {'ERROR': 1})]
    step, shown = coarser(buckets, 1, (NINE, NINE + 86400 * 365), DISPLAY_BARS)
    assert len(shown) <= DISPLAY_BARS + 1 and sum(sum(bar.counts.values()) for bar in shown) == 3
