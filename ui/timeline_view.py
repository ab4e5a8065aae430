"""The timeline card: events per level over time, zoomable, with a brush whose stretch of time narrows the groups
table; the level donut beside it; each group's sparkline for the table.

ECharts' own dataZoom and brush do the drawing in the browser; their events come back here, where the bars are
re-counted for the stretch in view and the chosen stretch is handed to whoever follows the TimeFilter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from nicegui import events, ui

from parsers import LEVELS, Analysis, Bucket
from parsers.timeline import coarser, span_of
from ui.frame import follow_theme

LEVEL_COLOURS = {
    'FATAL': '#862e9c', 'ERROR': '#e03131', 'WARN': '#f08c00', 'INFO': '#1c7ed6', 'DEBUG': '#868e96',
    'TRACE': '#adb5bd', '': '#64748b',
}
# A log that writes no level at all: its events are drawn as one volume, in a colour that reads on either card.
VOLUME_COLOUR = '#4263eb'
VOLUME = 'Events'
NO_LEVEL = 'No level'
# Chart text at 4.5:1 or more on the card of each theme; axis and grid lines fainter than the text in both.
# 'picked' marks the toolbox tool in use (the brush, taken once the chart is drawn) in the page's link colour:
# ECharts' own dark blue for it outshone the text on white and vanished on the dark card.
CHART_INK = {False: {'text': '#4a5565', 'axis': '#9ca3af', 'grid': '#e5e7eb', 'picked': '#3b5bdb'},
             True: {'text': '#c9d1d9', 'axis': '#6b7280', 'grid': '#3a3f47', 'picked': '#91a7ff'}}
# Bars across the chart at any zoom: enough to see a burst, few enough to read each bar.
DISPLAY_BARS = 120
# Axis labels per zoom level, as a clock reads them (ECharts picks the level; labels that would overlap are hidden).
TIME_LABELS = {
    'year': '{yyyy}', 'month': '{MMM} {yyyy}', 'day': '{d} {MMM}', 'hour': '{HH}:{mm}', 'minute': '{HH}:{mm}',
    'second': '{HH}:{mm}:{ss}', 'millisecond': '{HH}:{mm}:{ss}.{SSS}',
}
BRUSH_CURSOR = {'type': 'takeGlobalCursor', 'key': 'brush',
                'brushOption': {'brushType': 'lineX', 'brushMode': 'single'}}
SPARKLINE_WIDTH, SPARKLINE_HEIGHT = 80, 18
# A Vue template for the table's sparkline cell: a polyline whose points Python worked out (no script of its own).
SPARKLINE_SLOT = (
    f'<q-td :props="props"><svg v-if="props.value" width="{SPARKLINE_WIDTH}" height="{SPARKLINE_HEIGHT}" '
    'role="img" :aria-label="`Events over time: ${props.row.activity_text}`">'
    '<polyline :points="props.value" fill="none" stroke="currentColor" stroke-width="1.5" /></svg></q-td>'
)


@dataclass(frozen=True, slots=True)
class TimeRange:
    """A stretch of the log's time, in UTC (a time the log wrote without a zone is read as UTC, as in the engine)."""

    start: datetime
    end: datetime

    def __str__(self) -> str:
        same_day = self.start.date() == self.end.date()
        return f'{self.start:%Y-%m-%d %H:%M:%S} – {self.end:%H:%M:%S}' if same_day \
            else f'{self.start:%Y-%m-%d %H:%M:%S} – {self.end:%Y-%m-%d %H:%M:%S}'


class TimeFilter:
    """The stretch of time the chart is narrowed to, by zoom or brush; a table follows it through `on_change` and
    asks `admits(group_id)` for each row."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        self.range: TimeRange | None = None
        self._active: set[int] | None = None
        self._listeners: list[Callable[[], Any]] = []
        self._activity = {group.id: group.activity for group in analysis.groups}

    def on_change(self, listener: Callable[[], Any]) -> None:
        self._listeners.append(listener)

    def set(self, time_range: TimeRange | None) -> None:
        if time_range == self.range:
            return
        self.range = time_range
        self._active = None if time_range is None else self.analysis.active_groups(time_range.start, time_range.end)
        for listener in self._listeners:
            listener()

    def admits(self, group_id: int) -> bool:
        return self._active is None or group_id in self._active

    def sparkline(self, group_id: int) -> tuple[str, str]:
        """The group's sparkline points and what they show, in words."""
        activity = self._activity.get(group_id, [])
        return sparkline_points(self.analysis, activity), sparkline_text(self.analysis, activity)


def timeline_card(analysis: Analysis, time_filter: TimeFilter | None = None) -> None:
    """Events per level over time, and how the levels add up; nothing to chart is said in words."""
    counts = {level: count for level, count in analysis.level_counts.items() if count}
    with ui.card().classes('w-full'):
        ui.label('Events over time').classes('text-lg font-semibold')
        with ui.element('div').classes('grid grid-cols-1 md:grid-cols-3 gap-4 w-full'):
            with ui.element('div').classes('md:col-span-2 min-w-0'):
                if analysis.timeline:
                    _zoomable_timeline(analysis, time_filter)
                else:
                    ui.label('The log has no timestamps to draw a timeline from.').classes('text-sm text-gray-600')
            with ui.element('div').classes('min-w-0'):
                if counts:
                    described = ', '.join(f'{level} {count:,}' for level, count in counts.items())
                    # On a phone the donut stays small enough to leave room for the groups below it.
                    chart(_levels_options(counts), f'Events per level: {described}').classes('w-full h-64 max-sm:h-44')
                else:
                    ui.label('No levels found in this log: the timeline shows how many events there were.').classes(
                        'text-sm text-gray-600'
                    )


def _zoomable_timeline(analysis: Analysis, time_filter: TimeFilter | None) -> None:
    buckets, step = analysis.timeline, analysis.timeline_step_seconds
    levels = _levels_present(buckets)
    full = span_of(buckets, step)
    window = full
    zoom = [0.0, 100.0]
    brushed: TimeRange | None = None
    line = chart(_timeline_options(levels, full), _description(analysis, levels)).classes('w-full h-72')
    line.mark('timeline')
    with ui.row().classes('w-full items-center gap-2'):
        status = ui.label().props('role=status aria-live=polite').classes('text-sm text-gray-600 grow')
        reset = ui.button('Show all times', icon='zoom_out_map', on_click=lambda: show_all()).props(
            'flat dense no-caps aria-label="Show all times"')

    def draw() -> None:
        bar_step, bars = coarser(buckets, step, window, DISPLAY_BARS)
        for series in line.options['series']:
            # Each bar at the middle of the time it counts, as wide as that time.
            series['data'] = [[(_seconds(bar.start) + bar_step / 2) * 1000, bar.counts.get(series['id'], 0)]
                              for bar in bars]
        for zoomer in line.options['dataZoom']:
            zoomer['start'], zoomer['end'] = zoom
        line.update()
        narrowed = chosen()
        reset.visible = narrowed is not None
        said = '{}-{} bars.'.format(*_duration(bar_step))
        if narrowed is None:
            status.text = f'{said} Drag across the bars to select a stretch of time, or zoom with the slider below '\
                          'them: the groups table lists that stretch.'
        elif time_filter is not None and time_filter.analysis.groups:
            shown = sum(time_filter.admits(group.id) for group in time_filter.analysis.groups)
            status.text = f'{said} Groups seen {narrowed}: {shown:,} of {len(time_filter.analysis.groups):,}.'
        else:
            status.text = f'{said} Showing {narrowed}.'

    def chosen() -> TimeRange | None:
        if brushed is not None:
            return brushed
        if window != full:
            return TimeRange(_moment(window[0]), _moment(window[1]))
        return None

    def publish() -> None:
        if time_filter is not None:
            time_filter.set(chosen())
        draw()

    def zoomed(event: events.GenericEventArguments) -> None:
        nonlocal window
        change = event.args.get('batch', [event.args])[0] if isinstance(event.args, dict) else {}
        start, end = change.get('start'), change.get('end')
        if 'startValue' in change and 'endValue' in change:
            start, end = (_percent(full, change['startValue'] / 1000), _percent(full, change['endValue'] / 1000))
        if start is None or end is None:
            return
        zoom[:] = [float(start), float(end)]
        window = (_at(full, zoom[0]), _at(full, zoom[1]))
        publish()

    def brush_ended(event: events.GenericEventArguments) -> None:
        nonlocal brushed
        areas = event.args.get('areas', []) if isinstance(event.args, dict) else []
        ranges = [area['coordRange'] for area in areas
                  if isinstance(area, dict) and len(area.get('coordRange') or []) == 2]
        if ranges:
            low, high = sorted(ranges[-1])
            brushed = TimeRange(_moment(max(low / 1000, full[0])), _moment(min(high / 1000, full[1])))
            publish()

    def brush_changed(event: events.GenericEventArguments) -> None:
        nonlocal brushed
        if isinstance(event.args, dict) and not event.args.get('areas') and brushed is not None:
            brushed = None  # the selection was cleared
            publish()

    def show_all() -> None:
        nonlocal window, brushed
        window, brushed, zoom[:] = full, None, [0.0, 100.0]
        line.run_chart_method('dispatchAction', {'type': 'brush', 'areas': []})
        publish()

    def take_brush() -> None:
        # Dragging across the bars selects a stretch at once, without first picking the toolbox's brush.
        if not brush_taken:
            brush_taken.append(True)
            line.run_chart_method('dispatchAction', BRUSH_CURSOR)

    brush_taken: list[bool] = []
    line.on('chart:finished', take_brush)
    line.on('chart:datazoom', zoomed, throttle=0.2)
    line.on('chart:brushEnd', brush_ended)
    line.on('chart:brush', brush_changed)
    draw()


def sparkline_points(analysis: Analysis, activity: list[int]) -> str:
    """A group's activity as SVG polyline points over the log's whole span; '' when it has none."""
    slices = _activity_slices(analysis)
    if not activity or slices < 2:
        return ''
    peak = max(activity)
    padded = activity + [0] * (slices - len(activity))
    x_step = (SPARKLINE_WIDTH - 2) / (slices - 1)
    return ' '.join(f'{1 + index * x_step:.1f},{SPARKLINE_HEIGHT - 1 - (SPARKLINE_HEIGHT - 2) * count / peak:.1f}'
                    for index, count in enumerate(padded))


def sparkline_text(analysis: Analysis, activity: list[int]) -> str:
    """What a sparkline shows, in words: the busiest slice of time."""
    if not activity or analysis.activity.start is None:
        return ''
    busiest = max(range(len(activity)), key=activity.__getitem__)
    start = _moment(_seconds(analysis.activity.start) + busiest * analysis.activity.step_seconds)
    amount, unit = _duration(analysis.activity.step_seconds)
    events = f'{activity[busiest]:,} event' + ('s' if activity[busiest] != 1 else '')
    return f'busiest {start:%Y-%m-%d %H:%M}: {events} in {amount} {unit}' + ('s' if amount != 1 else '')


def chart(options: dict[str, Any], description: str) -> ui.echart:
    """A chart in the theme's colours, described in words for screen readers.

    SVG rather than canvas: the text stays sharp when zoomed, and its colours are in the page for checks to read.
    """
    drawn = ui.echart(options, renderer='svg').props('role=img')
    drawn.props['aria-label'] = description

    def ink(dark: bool) -> None:
        colours = CHART_INK[dark]
        text = {'color': colours['text']}
        drawn.options['legend']['textStyle'] = text
        for name in ('xAxis', 'yAxis'):
            if name in drawn.options:
                drawn.options[name].update({
                    'axisLabel': {**drawn.options[name].get('axisLabel', {}), **text},
                    'axisLine': {'lineStyle': {'color': colours['axis']}},
                    'axisTick': {'lineStyle': {'color': colours['axis']}},
                    'splitLine': {'lineStyle': {'color': colours['grid']}},
                })
        for zoomer in drawn.options.get('dataZoom', []):
            if zoomer['type'] == 'slider':
                zoomer.update({'textStyle': text, 'borderColor': colours['axis'],
                               'handleStyle': {'color': colours['grid'], 'borderColor': colours['text']},
                               'moveHandleStyle': {'color': colours['axis']}})
        if 'toolbox' in drawn.options:
            drawn.options['toolbox'].update({'iconStyle': {'borderColor': colours['text']},
                                             'emphasis': {'iconStyle': {'borderColor': colours['picked']}}})
        drawn.update()

    follow_theme(ink)
    return drawn


def _timeline_options(levels: list[str], full: tuple[float, float]) -> dict[str, Any]:
    return {
        'useUTC': True,  # times are shown as the log wrote them, not in the browser's zone
        'animation': False,
        'tooltip': {'trigger': 'axis'},
        'legend': {'top': 0, 'left': 0},
        'grid': {'left': 48, 'right': 16, 'top': 36, 'bottom': 64},
        'toolbox': {'right': 0, 'top': 0, 'feature': {'brush': {
            'type': ['lineX', 'clear'], 'title': {'lineX': 'Select a stretch of time', 'clear': 'Clear the selection'},
        }}},
        'brush': {'xAxisIndex': 0, 'brushType': 'lineX', 'brushMode': 'single', 'outOfBrush': {'colorAlpha': 0.3}},
        'dataZoom': [
            {'type': 'inside', 'xAxisIndex': 0, 'start': 0, 'end': 100},
            {'type': 'slider', 'xAxisIndex': 0, 'start': 0, 'end': 100, 'bottom': 8, 'height': 20,
             'showDataShadow': False},
        ],
        'xAxis': {'type': 'time', 'min': full[0] * 1000, 'max': full[1] * 1000,
                  'axisLabel': {'hideOverlap': True, 'formatter': TIME_LABELS}},
        'yAxis': {'type': 'value', 'minInterval': 1},
        'series': [
            {'id': level, 'name': _level_name(level, levels), 'type': 'bar', 'stack': 'events', 'barCategoryGap': '10%',
             'barMinWidth': 2, 'color': VOLUME_COLOUR if levels == ['NONE'] else LEVEL_COLOURS[_level_key(level)],
             'data': []}
            for level in levels
        ],
    }


def _levels_options(counts: dict[str, int]) -> dict[str, Any]:
    return {
        'tooltip': {'trigger': 'item'},
        'legend': {'bottom': 0},
        'series': [{
            'type': 'pie', 'radius': ['40%', '70%'], 'label': {'show': False},
            'data': [{'name': level or NO_LEVEL, 'value': count, 'itemStyle': {'color': LEVEL_COLOURS[level]}}
                     for level, count in counts.items()],
        }],
    }


def _levels_present(buckets: list[Bucket]) -> list[str]:
    # Events without a level are drawn too: a log that writes none still shows when things happened.
    return [level for level in ('NONE', *LEVELS) if any(bucket.counts.get(level) for bucket in buckets)]


def _level_name(level: str, levels: list[str]) -> str:
    if level != 'NONE':
        return level
    return VOLUME if levels == ['NONE'] else NO_LEVEL


def _level_key(level: str) -> str:
    return '' if level == 'NONE' else level


def _description(analysis: Analysis, levels: list[str]) -> str:
    what = 'Events over time (the log writes no levels)' if levels == ['NONE'] else 'Events per level over time'
    first, last = analysis.timeline[0].start, analysis.timeline[-1].start
    return f'{what}, from {first:%Y-%m-%d %H:%M:%S} to {last:%Y-%m-%d %H:%M:%S} UTC'


def _activity_slices(analysis: Analysis) -> int:
    activity = analysis.activity
    if activity.start is None or not activity.step_seconds or analysis.last_timestamp is None:
        return 0
    end = analysis.last_timestamp if analysis.last_timestamp.tzinfo else analysis.last_timestamp.replace(tzinfo=UTC)
    return int((_seconds(end) - _seconds(activity.start)) // activity.step_seconds) + 1


def _duration(seconds: int) -> tuple[int, str]:
    """A width as a whole number of the largest unit that divides it."""
    unit, size = next((unit, size) for unit, size in (('day', 86400), ('hour', 3600), ('minute', 60), ('second', 1))
                      if seconds % size == 0)
    return seconds // size, unit


def _seconds(moment: datetime) -> float:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _at(full: tuple[float, float], percent: float) -> float:
    return full[0] + (full[1] - full[0]) * percent / 100


def _percent(full: tuple[float, float], seconds: float) -> float:
    return (seconds - full[0]) * 100 / (full[1] - full[0])
