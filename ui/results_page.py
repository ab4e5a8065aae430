"""The results page `/analysis/{id}`: a saved analysis, its diagnosis, export, share, feedback and delete."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from nicegui import context, run, ui

from parsers import Analysis, Group
from parsers.titles import group_title
from services.accounts.interface import SESSION_OVER
from services.container import Services
from services.diagnosis.analyzer import Diagnosis, DiagnosisError
from services.diagnosis.diagnose import AnalysisNotFound, diagnose_saved, pick_group
from services.export import export_file_name, export_json_text, export_markdown
from services.identity import Caller
from services.store.database import DatabaseUnavailable
from services.store.saved_analyses import delete_analysis, get_analysis, get_feedback, set_feedback
from services.store.sharing import revoke_sharing, share_analysis, share_token
from services.store.tables import AnalysisRecord
from ui.analysis_view import summary_cards, what_went_wrong
from ui.compare_view import compare_card
from ui.diagnosis_panel import diagnosis_panel
from ui.frame import frame
from ui.groups_view import GroupsTable
from ui.log_view import OpenLine, log_dialog
from ui.owner import current_owner, limits_for, quota_text, still_acting_for
from ui.timeline_view import TimeFilter, timeline_card

log = logging.getLogger(__name__)
T = TypeVar('T')
# The largest groups offered to diagnose at once; the groups table offers any other.
DIAGNOSIS_CHOICES = 500


def register(services: Services) -> None:
    database = services.database

    @ui.page('/analysis/{analysis_id}')
    async def results_page(analysis_id: str) -> None:
        owner = await current_owner(services)
        with frame('Analysis'):
            try:
                record = await run.io_bound(get_analysis, database, analysis_id=analysis_id, owner=owner)
            except DatabaseUnavailable as exc:
                ui.label(str(exc)).props('role=alert')
                return
            if record is None:
                ui.label('This analysis does not exist or is not yours.').props('role=alert')
                ui.link('Your history', '/history')
                return
            # The story comes first on the page, though it opens groups through the explorer built last.
            story = ui.element('div').classes('w-full')
            analysis = record.to_analysis()
            summary_cards(record.file_name, analysis)
            open_line = log_dialog(analysis, window=services.settings.log_view_lines,
                                   whole_log=lambda: _kept_log(services, record.id, owner))
            await _actions(services, record, owner, open_line)
            time_filter = TimeFilter(analysis)
            timeline_card(analysis, time_filter)
            choose_group = await _diagnosis_section(services, record, analysis, owner, open_line)
            await compare_card(services, record, owner)
            groups = GroupsTable(analysis.groups, on_diagnose=choose_group, time_filter=time_filter)
            with story:
                what_went_wrong(analysis, groups.open)


async def _diagnosis_section(services: Services, record: AnalysisRecord, analysis: Analysis, owner: Caller,
                             open_line: OpenLine) -> Callable[[int], None]:
    """The diagnosis card; returns how to point it at another group."""
    choices = analysis.groups[:DIAGNOSIS_CHOICES]
    chosen = pick_group(analysis, record.diagnosis_group_id)
    if chosen is not None and chosen not in choices:  # the top incident can be rarer than every listed group
        choices = [chosen, *choices]
    answers: dict[int | None, Diagnosis] = {}
    if record.diagnosis_markdown is not None and record.model:
        answers[record.diagnosis_group_id] = Diagnosis(
            markdown=record.diagnosis_markdown, model=record.model, input_tokens=record.input_tokens,
            output_tokens=record.output_tokens, thinking_tokens=record.thinking_tokens,
        )
    with ui.card().classes('w-full'):
        ui.label('Diagnosis').classes('text-lg font-semibold')
        quota_label = ui.label().props('aria-live=polite').classes('text-sm text-gray-600')
        options = {group.id: _choice(group) for group in choices}
        group_select = ui.select(
            options,
            value=chosen.id if chosen else None, label='Problem to diagnose', on_change=lambda: panel.refresh(),
        ).props('outlined aria-label="Problem to diagnose"').classes('w-full')
        group_select.visible = bool(choices)

        @ui.refreshable
        async def panel() -> None:
            group = pick_group(analysis, group_select.value)
            group_id = group.id if group else None

            async def ask(stream: Callable[[str], None]) -> Diagnosis:
                if not await still_acting_for(services, owner):
                    raise DiagnosisError(SESSION_OVER)
                try:
                    result = await diagnose_saved(
                        database=services.database, analyzer=services.analyzer, analysis_id=record.id, owner=owner,
                        limits=limits_for(services), group_id=group_id, on_chunk=stream,
                    )
                except AnalysisNotFound:
                    raise DiagnosisError('This analysis was deleted.') from None
                answers[group_id] = result.diagnosis
                return result.diagnosis

            await diagnosis_panel(services.analyzer, analysis, group, ask, open_line=open_line,
                                  answered=answers.get(group_id), after=show_quota)

        async def show_quota() -> None:
            quota_label.text = await quota_text(services, owner)

        await show_quota()
        await panel()

    def choose(group_id: int) -> None:
        if group_id not in options:  # a group past the largest ones, chosen in the groups table
            options[group_id] = _choice(next(group for group in analysis.groups if group.id == group_id))
            group_select.set_options(options)
        group_select.value = group_id
        ui.notify('The diagnosis panel now shows that group.')

    return choose


def _choice(group: Group) -> str:
    return f'{group.level or "-"} × {group.count}: {group_title(group)[:90]}'


async def _actions(services: Services, record: AnalysisRecord, owner: Caller, open_line: OpenLine) -> None:
    database = services.database
    token = await run.io_bound(share_token, database, analysis_id=record.id, owner=owner)
    vote = await run.io_bound(get_feedback, database, analysis_id=record.id, owner=owner)
    with ui.dialog() as confirm, ui.card():
        ui.label(f'Delete the analysis of {record.file_name}? This cannot be undone.')
        with ui.row():
            ui.button('Delete for good', color='negative', on_click=lambda: delete()).mark('delete-confirm')
            ui.button('Keep it', on_click=confirm.close).props('flat')
    with ui.card().classes('w-full'):
        with ui.row().classes('items-center gap-2 flex-wrap'):
            buttons = (
                ('Log lines', 'subject', lambda: open_line(1), 'open-log'),
                ('Export Markdown', 'description', lambda: export('md'), 'export-md'),
                ('Export JSON', 'data_object', lambda: export('json'), 'export-json'),
                ('Share', 'share', lambda: share(), 'share'),
                ('Delete', 'delete', lambda: confirm.open(), 'delete'),
            )
            for label, icon, action, marker in buttons:
                ui.button(label, icon=icon, on_click=action).props(f'outline aria-label="{label}"').mark(marker)
            ui.button(icon='thumb_up', on_click=lambda: feedback(True)).props('flat aria-label="Helpful"').mark('up')
            ui.button(icon='thumb_down', on_click=lambda: feedback(False)).props('flat aria-label="Not helpful"')
            vote_label = ui.label(_vote_text(vote)).classes('text-sm')
        share_row = ui.row().classes('items-center gap-2 w-full')

    def show_share(current: str | None) -> None:
        share_row.clear()
        if current is None:
            return
        with share_row:
            link = f'{_base_url()}share/{current}'
            ui.input('Share link', value=link).props('readonly outlined aria-label="Share link"').classes('grow')
            ui.button('Copy', on_click=lambda: ui.clipboard.write(link)).props('flat')
            ui.button('Stop sharing', on_click=lambda: revoke()).props('flat color=negative').mark('stop-sharing')

    async def export(kind: str) -> None:
        if not await still_acting_for(services, owner):
            return
        fresh = await _reload(services, record.id, owner, with_raw_log=kind == 'json')
        if fresh is None:
            return
        if kind == 'md':
            ui.download.content(export_markdown(fresh).encode(), export_file_name(fresh, 'md'), 'text/markdown')
        else:
            ui.download.content(export_json_text(fresh).encode(), export_file_name(fresh, 'json'), 'application/json')

    async def share() -> None:
        if not await still_acting_for(services, owner):
            return
        show_share(await _attempt(share_analysis, database, analysis_id=record.id, owner=owner))

    async def revoke() -> None:
        if not await still_acting_for(services, owner):
            return
        await _attempt(revoke_sharing, database, analysis_id=record.id, owner=owner)
        show_share(None)
        ui.notify('The share link no longer works.')

    async def feedback(helpful: bool) -> None:
        if not await still_acting_for(services, owner):
            return
        if await _attempt(set_feedback, database, analysis_id=record.id, owner=owner, helpful=helpful):
            vote_label.text = _vote_text(helpful)

    async def delete() -> None:
        if not await still_acting_for(services, owner):
            return
        if await _attempt(delete_analysis, database, analysis_id=record.id, owner=owner):
            ui.navigate.to('/history')

    show_share(token)


async def _reload(services: Services, analysis_id: str, owner: Caller, *, with_raw_log: bool = False,
                  ) -> AnalysisRecord | None:
    record = await _attempt(get_analysis, services.database, analysis_id=analysis_id, owner=owner,
                            with_raw_log=with_raw_log)
    if record is None:
        ui.notify('This analysis was deleted.', type='warning')
    return record


async def _kept_log(services: Services, analysis_id: str, owner: Caller) -> str | None:
    """The redacted log kept with the analysis (KEEP_UPLOADS), or None."""
    record = await _reload(services, analysis_id, owner, with_raw_log=True)
    return record.raw_log if record else None


async def _attempt(function: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run a blocking store call; a database that is down becomes a message, not an error page."""
    try:
        return await run.io_bound(function, *args, **kwargs)
    except DatabaseUnavailable as exc:
        ui.notify(str(exc), type='negative')
        return None


def _vote_text(vote: bool | None) -> str:
    return {None: '', True: 'Thanks: marked helpful.', False: 'Thanks: marked not helpful.'}[vote]


def _base_url() -> str:
    return str(context.client.request.base_url)
