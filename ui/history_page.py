"""The history page `/history`: the person's analyses, newest first, searchable, to open or delete."""

from __future__ import annotations

from nicegui import app, run, ui

from services.container import Services
from services.store.database import DatabaseUnavailable
from services.store.saved_analyses import HISTORY_PAGE_SIZE, delete_analysis, list_analyses
from ui.frame import frame
from ui.owner import current_owner, still_acting_for

QUERY_KEY = 'history_query'  # the last search, remembered for the person across visits


def register(services: Services) -> None:
    database = services.database

    @ui.page('/history')
    async def history_page() -> None:
        owner = await current_owner(services)
        with frame('History'):
            ui.label('Your analyses').classes('text-2xl font-semibold')
            search = ui.input('Search file names and errors', value=app.storage.user.get(QUERY_KEY, '')).props(
                'outlined clearable debounce=300 aria-label="Search file names and errors"'
            ).classes('w-full')
            search.on_value_change(lambda: show())
            status = ui.label().props('role=status aria-live=polite')
            entries = ui.column().classes('w-full gap-2')
            confirm = ui.dialog()

        async def show() -> None:
            if not await still_acting_for(services, owner):
                return
            query = search.value or ''
            app.storage.user[QUERY_KEY] = query
            try:
                records = await run.io_bound(list_analyses, database, owner=owner, query=query)
            except DatabaseUnavailable as exc:
                status.text = str(exc)
                return
            entries.clear()
            if not records:
                status.text = 'Nothing matches your search.' if query else 'No analyses yet: analyze a log first.'
                return
            more = ' (the newest shown; search to find older ones)' if len(records) == HISTORY_PAGE_SIZE else ''
            status.text = f'{len(records)} analyses{more}'
            with entries:
                for record in records:
                    errors = sum(count for level, count in record.summary['level_counts'].items()
                                 if level in ('ERROR', 'FATAL'))
                    with ui.card().classes('w-full').tight(), ui.row().classes('w-full items-center p-3 gap-3'):
                        with ui.column().classes('grow gap-0'):
                            ui.link(record.file_name, f'/analysis/{record.id}').classes('font-semibold break-all')
                            diagnosed = f', diagnosed by {record.model}' if record.model else ''
                            ui.label(
                                f'{record.created_at:%Y-%m-%d %H:%M} UTC · {record.summary["lines"]} lines · '
                                f'{errors} errors{diagnosed}'
                            ).classes('text-sm text-gray-600')
                        remove = ui.button(icon='delete', on_click=lambda r=record: ask_to_delete(r.id, r.file_name))
                        remove.props('flat round color=negative').mark(f'delete-{record.id}')
                        remove.props['aria-label'] = f'Delete {record.file_name}'  # no props-string parsing

        def ask_to_delete(analysis_id: str, file_name: str) -> None:
            confirm.clear()
            confirm.props['aria-label'] = f'Delete {file_name}?'
            with confirm, ui.card():
                ui.label(f'Delete the analysis of {file_name}? This cannot be undone.')
                with ui.row():
                    ui.button('Delete for good', color='negative',
                              on_click=lambda: delete(analysis_id, file_name)).mark('delete-confirm')
                    ui.button('Keep it', on_click=confirm.close).props('flat')
            confirm.open()

        async def delete(analysis_id: str, file_name: str) -> None:
            confirm.close()
            if not await still_acting_for(services, owner):  # logged out in another tab since the page was built
                return
            try:
                deleted = await run.io_bound(delete_analysis, database, analysis_id=analysis_id, owner=owner)
            except DatabaseUnavailable as exc:
                ui.notify(str(exc), type='negative')
                return
            if deleted:
                ui.notify(f'Deleted {file_name}.')
            else:
                ui.notify(f'{file_name} was not deleted: it is gone already or no longer yours here.', type='warning')
            await show()

        await show()
