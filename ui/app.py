"""Register every page and start NiceGUI."""

from __future__ import annotations

from nicegui import app, run, ui
from nicegui.ui_run import DocsConfig

from services.container import Services
from ui import account_pages, analyze_page, api, history_page, info_pages, results_page, session, share_page

APP_TITLE = 'LogSentry'


def serve(services: Services) -> None:
    settings = services.settings
    analyze_page.register(services)
    results_page.register(services)
    history_page.register(services)
    share_page.register(services)
    api.register(services)
    info_pages.register(settings)
    session.install(services)
    account_pages.register(services)

    @app.get('/healthz', include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {'status': 'ok'}

    # Workers start clean instead of inheriting a threaded server's state.
    run.process_pool_start_method = 'spawn'
    secret = settings.storage_secret.get_secret_value() if settings.storage_secret else None
    ui.run(
        host=settings.host,
        port=settings.port,
        title=APP_TITLE,
        storage_secret=secret,
        reload=False,
        show=False,
        favicon='🛡️',
        fastapi_docs=DocsConfig(title='LogSentry API', summary=None, description=api.__doc__, version='1',
                                terms_of_service=None, contact=None, license_info=None),
    )
