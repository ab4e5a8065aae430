"""The share page `/share/{token}`: a read-only, redacted view of one analysis for whoever holds the link."""

from __future__ import annotations

from nicegui import run, ui

from parsers import Analysis
from services.container import Services
from services.store.database import DatabaseUnavailable
from services.store.sharing import redacted_view, shared_analysis
from ui.analysis_view import diagnosis_text, summary_cards, what_went_wrong
from ui.frame import frame
from ui.groups_view import GroupsTable
from ui.log_view import citation_links, log_dialog
from ui.timeline_view import TimeFilter, timeline_card


def register(services: Services) -> None:
    @ui.page('/share/{token}')
    async def share_page(token: str) -> None:
        with frame('Shared analysis'):
            try:
                record = await run.io_bound(shared_analysis, services.database, token=token)
            except DatabaseUnavailable as exc:
                ui.label(str(exc)).props('role=alert')
                return
            if record is None:
                ui.label('This share link does not exist or was revoked by its owner.').props('role=alert')
                return
            view = redacted_view(record)
            ui.label('Shared analysis (read-only; secrets and personal data are redacted)').classes(
                'text-sm text-gray-600'
            )
            # The story comes first, as on the results page, though it opens groups through the table built last.
            story = ui.element('div').classes('w-full')
            analysis = Analysis.from_dict({**view['summary'], 'groups': view['groups']})
            summary_cards(view['file_name'], analysis)
            time_filter = TimeFilter(analysis)
            timeline_card(analysis, time_filter)
            if view['diagnosis']:
                with ui.card().classes('w-full'):
                    ui.label('Diagnosis').classes('text-lg font-semibold')
                    diagnosis_text(view['diagnosis']['markdown'])
                    open_line = log_dialog(analysis, window=services.settings.log_view_lines)
                    citation_links(view['diagnosis']['markdown'], analysis.lines, open_line)
                    ui.label(f'Answered by {view["diagnosis"]["model"]}').classes('text-xs text-gray-500')
            groups = GroupsTable(analysis.groups, time_filter=time_filter)
            with story:
                what_went_wrong(analysis, groups.open)
