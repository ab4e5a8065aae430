"""The API's OpenAPI schema and its Swagger UI at /docs, served from files shipped with the app (no CDN)."""

from __future__ import annotations

from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from nicegui import app
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

DOCS_URL = '/docs'
ASSETS_URL = '/docs-assets'


def register(*, title: str, description: str | None, version: str) -> None:
    # Not NiceGUI's `fastapi_docs`: FastAPI's own /docs and /redoc load their scripts from a CDN.
    app.title, app.description, app.version = title, description or '', version
    app.openapi_url = '/openapi.json'
    app.setup()  # adds the schema route only, as docs_url and redoc_url stay unset
    app.mount(ASSETS_URL, StaticFiles(directory=str(swagger_ui_path)), name='docs-assets')

    @app.get(DOCS_URL, include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url='/openapi.json', title=f'{title} - Swagger UI', swagger_favicon_url='/favicon.ico',
            swagger_js_url=f'{ASSETS_URL}/swagger-ui-bundle.js', swagger_css_url=f'{ASSETS_URL}/swagger-ui.css',
        )
