"""The event groups of an analysis as a table people can read and search, filtered, sorted and paged on the server.

Each group reads as its title (a crash's exception and message) over its template, the template's variable parts
set apart and filled with the first event's values. The search covers titles, templates and the kept example
lines, so an id or a host seen in the log finds its group. Only one page of rows is sent to the browser, so a log
with thousands of groups lists every one of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from nicegui import events, ui

from parsers import LEVELS, Group
from parsers.masking import WILDCARD
from parsers.titles import example_values, group_title
from ui.log_view import clock, group_detail
from ui.timeline_view import NO_LEVEL, SPARKLINE_SLOT, TimeFilter

ANY_LEVEL = 'Any level'
ROWS_PER_PAGE = 25
PAGE_SIZES = [10, 25, 50, 100]
_WIDE_ONLY = {'classes': 'max-sm:hidden', 'headerClasses': 'max-sm:hidden'}
# Each row's checkbox opens the group: named after it, where Quasar's own has no name.
ROW_CHECKBOX = '<q-checkbox v-model="props.selected" dense :aria-label="`Details of ${props.row.title}`" />'
# The title (when it says more than the template) over the template, each variable part marked; Vue's {{ }} shows
# log text as text.
MESSAGE_CELL = """
<q-td :props="props">
  <div v-if="props.row.title !== props.row.template" class="font-semibold break-words">{{ props.row.title }}</div>
  <div class="font-mono text-xs whitespace-pre-wrap break-all"><template v-for="part in props.row.parts"><mark
    v-if="part.slot" class="rounded px-0.5 bg-amber-100 text-amber-950 dark:bg-amber-900 dark:text-amber-50"
    >{{ part.text }}</mark><span v-else>{{ part.text }}</span></template></div>
</q-td>
"""
_SEVERITY = {level: rank for rank, level in enumerate(('', *LEVELS))}
_SORT_KEYS: dict[str, Callable[[Group], Any]] = {
    'level': lambda group: _SEVERITY.get(group.level, 0),
    'count': lambda group: group.count,
    'first_seen': lambda group: (group.first_seen is not None, group.first_seen and group.first_seen.timestamp()),
    'last_seen': lambda group: (group.last_seen is not None, group.last_seen and group.last_seen.timestamp()),
    'first_line': lambda group: group.first_line,
}


class GroupsTable(ui.card):
    """Every group of an analysis, filterable by level, text and time, sortable and paged; a row opens its detail.

    `open(group_id)` shows one group's full detail, listed on the current page or not. With a `TimeFilter` (the
    timeline's zoom or brush), each row has its sparkline and the table lists the groups with events in the stretch
    of time the filter holds, following it as it changes.
    """

    def __init__(self, groups: Sequence[Group], *, on_diagnose: Callable[[int], Any] | None = None,
                 time_filter: TimeFilter | None = None) -> None:
        super().__init__()
        self.groups = list(groups)
        self.on_diagnose = on_diagnose
        self.time_filter = time_filter
        self.by_id = {group.id: group for group in self.groups}
        self._searchable: list[str] | None = None
        self._matching = self.groups
        levels = [level for level in reversed(LEVELS) if any(group.level == level for group in self.groups)]
        if any(not group.level for group in self.groups):
            levels.append(NO_LEVEL)
        self.classes('w-full max-sm:px-1')
        with self:
            with ui.row().classes('w-full items-center gap-3 flex-wrap'):
                ui.label('Event groups').classes('text-lg font-semibold grow')
                self.level_filter = ui.select(
                    [ANY_LEVEL, *levels], value=ANY_LEVEL, label='Level', on_change=self.refilter,
                ).props('outlined dense aria-label="Filter by level"')
                self.text_filter = ui.input('Search messages and values', on_change=self.refilter).props(
                    'outlined dense clearable debounce=300 aria-label="Search messages and values"'
                ).classes('w-72 max-sm:w-full')
            self.status = ui.label().props('role=status aria-live=polite').classes('text-sm text-gray-600')
            columns = _COLUMNS if time_filter is None else [*_COLUMNS[:2], _ACTIVITY_COLUMN, *_COLUMNS[2:]]
            self.table = ui.table(columns=columns, rows=[], row_key='id', selection='single', pagination={
                'page': 1, 'rowsPerPage': ROWS_PER_PAGE, 'sortBy': None, 'descending': False, 'rowsNumber': 0,
            }).classes('w-full')
            self.table.props('flat dense wrap-cells aria-label="Event groups" '
                             'no-data-label="No group matches the filter"')
            self.table.props['rows-per-page-options'] = PAGE_SIZES
            self.table.add_slot('body-selection', ROW_CHECKBOX)
            self.table.add_slot('body-cell-message', MESSAGE_CELL)
            if time_filter is not None:
                self.table.add_slot('body-cell-activity', SPARKLINE_SLOT)
                time_filter.on_change(self.refilter)
            # With rowsNumber set, Quasar asks the server for each page, sort and page size.
            self.table.on('request', self._requested, [['pagination']])
            self.table.on('rowClick', lambda event: self.open(event.args[1]['id']))
            self.table.on_select(lambda event: self.open(event.selection[0]['id']) if event.selection else None)
            self.detail = ui.dialog().props('maximized-on-mobile aria-label="Group details"')
        self.refilter()

    def open(self, group_id: int) -> None:
        """Show one group in full, with a way to have it diagnosed when the page offers one."""
        group = self.by_id[group_id]
        self.detail.clear()
        with self.detail, ui.card().classes('w-full max-w-4xl'):
            group_detail(group, on_diagnose=self.on_diagnose and self._diagnose, close=self.detail.close)
        self.detail.open()
        self.table.selected = []

    def refilter(self) -> None:
        """Apply the level, text and time filters, back to the first page."""
        wanted = self.level_filter.value
        needle = (self.text_filter.value or '').strip().lower()
        searchable = self._search_texts() if needle else None
        time_filter = self.time_filter
        self._matching = [
            group for index, group in enumerate(self.groups)
            if (wanted == ANY_LEVEL or (group.level or NO_LEVEL) == wanted)
            and (searchable is None or needle in searchable[index])
            and (time_filter is None or time_filter.admits(group.id))
        ]
        self.table.pagination = {**self.table.pagination, 'page': 1}
        self._show_page()

    def _requested(self, event: events.GenericEventArguments) -> None:
        asked = event.args['pagination']
        self.table.pagination = {**self.table.pagination, **{
            name: asked[name] for name in ('page', 'rowsPerPage', 'sortBy', 'descending') if name in asked
        }}
        self._show_page()

    def _show_page(self) -> None:
        pagination = self.table.pagination
        ordered = self._matching
        sort_key = _SORT_KEYS.get(pagination.get('sortBy') or '')
        if sort_key is not None:
            ordered = sorted(ordered, key=sort_key, reverse=bool(pagination.get('descending')))
        size = pagination.get('rowsPerPage') or ROWS_PER_PAGE
        pages = max(1, -(-len(ordered) // size))
        page = min(max(1, int(pagination.get('page') or 1)), pages)
        self.table.pagination = {**pagination, 'page': page, 'rowsPerPage': size, 'rowsNumber': len(ordered)}
        self.table.rows = [_row(group) for group in ordered[(page - 1) * size:page * size]]
        if self.time_filter is not None:
            for row in self.table.rows:
                row['activity'], row['activity_text'] = self.time_filter.sparkline(row['id'])
        self.table.update()
        self.status.text = self._status_text()

    def _status_text(self) -> str:
        total = len(self.groups)
        text = f'{total:,} group{"" if total == 1 else "s"}'
        if len(self._matching) < total:
            text = f'{len(self._matching):,} of {text}'
        if self.time_filter is not None and self.time_filter.range is not None:
            text += f' seen {self.time_filter.range}'
        return text + '.'

    def _search_texts(self) -> list[str]:
        # Made on the first search: what a person may type is in the template or the example's lines (which hold
        # the title and the values).
        if self._searchable is None:
            self._searchable = [f'{group.template}\n{group.example}'.lower() for group in self.groups]
        return self._searchable

    def _diagnose(self, group_id: int) -> None:
        self.detail.close()
        if self.on_diagnose:
            self.on_diagnose(group_id)


_COLUMNS: list[dict[str, Any]] = [
    {'name': 'level', 'label': 'Level', 'field': 'level', 'sortable': True, 'align': 'left'},
    {'name': 'count', 'label': 'Count', 'field': 'count', 'sortable': True, 'align': 'right'},
    {'name': 'message', 'label': 'Message', 'field': 'template', 'align': 'left',
     'classes': 'min-w-64 max-sm:min-w-0'},
    # A phone shows the message instead of these; the group's detail has them.
    {'name': 'first_seen', 'label': 'First seen', 'field': 'first_seen', 'sortable': True, **_WIDE_ONLY},
    {'name': 'last_seen', 'label': 'Last seen', 'field': 'last_seen', 'sortable': True, **_WIDE_ONLY},
    {'name': 'first_line', 'label': 'First line', 'field': 'first_line', 'sortable': True, 'align': 'right',
     **_WIDE_ONLY},
]


_ACTIVITY_COLUMN = {'name': 'activity', 'label': 'Over time', 'field': 'activity', **_WIDE_ONLY}


def _row(group: Group) -> dict[str, Any]:
    level = group.level + (' (inferred)' if group.level_source == 'inferred' else '') if group.level else '-'
    return {
        'id': group.id, 'level': level, 'count': group.count, 'title': group_title(group),
        'template': group.template, 'parts': template_parts(group),
        'first_seen': clock(group.first_seen) if group.first_seen else '',
        'last_seen': clock(group.last_seen) if group.last_seen else '', 'first_line': group.first_line,
    }


def template_parts(group: Group) -> list[dict[str, Any]]:
    """The template as text and variable parts, each variable part holding the first event's value when known."""
    values = iter(example_values(group) or ())
    parts: list[dict[str, Any]] = []
    for index, text in enumerate(group.template.split(WILDCARD)):
        if index:
            parts.append({'text': next(values, '') or WILDCARD, 'slot': True})
        if text:
            parts.append({'text': text, 'slot': False})
    return parts
