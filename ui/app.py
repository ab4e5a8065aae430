"""Register every page and start NiceGUI."""

from __future__ import annotations

from nicegui import app, run, ui

from services.container import Services
from ui import (
    account_pages,
    analyze_page,
    api,
    api_docs,
    history_page,
    info_pages,
    results_page,
    security,
    session,
    share_page,
    unavailable,
)

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
    unavailable.install()  # after the sign-in check, so that it answers for that check too
    account_pages.register(services)
    api_docs.register(title='LogSentry API', description=api.__doc__, version='1')
    security.install(settings)

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
        language='en-US',  # Quasar's texts and the `lang` of every page, for screen readers
        uvicorn_logging_level=settings.log_level.lower(),
        log_config=None,  # uvicorn's lines go through the app's one logging configuration
        access_log=False,  # the proxy logs requests; URLs here can carry one-time login tokens
        **security.server_options(settings),
    )
