"""The JSON API on NiceGUI's FastAPI app: `/api/v1/analyses`. Documented at /docs, its shapes in ui.api_models.
Every call needs `Authorization: Bearer <token>`: a personal API key (made on the account page) or a Firebase
ID token. Guests use the web page; the API has no guest allowance, so a script cannot sidestep the guest quota.
"""


import logging
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from nicegui import app, run
from starlette.datastructures import UploadFile

from parsers import InputError
from services.comparison import compare_saved
from services.container import Services
from services.diagnosis.analyzer import DiagnosisError
from services.diagnosis.diagnose import AnalysisNotFound, diagnose_saved
from services.identity import Caller
from services.store import quota
from services.store.database import DatabaseUnavailable
from services.store.saved_analyses import HISTORY_PAGE_SIZE, get_analysis, list_analyses
from ui.api_models import (
    AnalysesPage,
    AnalysisCreated,
    AnalysisListed,
    AnalysisPublic,
    ComparisonPublic,
    InputErrorPublic,
    QuotaErrorPublic,
    TextAnalysisRequest,
    error,
)
from ui.session import request_address

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024


def register(services: Services) -> None:
    settings = services.settings
    router = APIRouter(prefix='/api/v1', tags=['analyses'], responses={
        401: error('Missing or bad token'), 503: error('The database cannot be reached')})
    bearer = HTTPBearer(auto_error=False, description='A personal API key (lsk_...) or a Firebase ID token.')

    async def authenticated(
        request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Caller:
        if credentials is None:
            raise _unauthorized('Send Authorization: Bearer <API key or Firebase ID token>.')
        try:
            found = await run.io_bound(services.authenticator.authenticate, credentials.credentials)
        except DatabaseUnavailable as exc:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc)) from None
        if found is None:
            raise _unauthorized('The token is invalid, expired or revoked.')
        return Caller(user_id=found, address=request_address(request))

    Authenticated = Annotated[Caller, Depends(authenticated)]

    @router.post(
        '/analyses', status_code=status.HTTP_201_CREATED, response_model=AnalysisCreated,
        summary='Analyze a log, and optionally diagnose it',
        description='Send the log as multipart form data (field `file`) or as JSON `{"text": ..., "file_name": ...}`. '
        'With `diagnose=true` the answer includes the AI diagnosis of the top error group (or of `group_id`).',
        openapi_extra={'requestBody': {'content': {
            'multipart/form-data': {'schema': {'type': 'object', 'properties': {
                'file': {'type': 'string', 'format': 'binary'}}, 'required': ['file']}},
            'application/json': {'schema': TextAnalysisRequest.model_json_schema()},
        }}},
        responses={413: error('Larger than MAX_UPLOAD_MB'), 415: error('Neither multipart/form-data nor JSON'),
                   422: error('Not a readable log, or a bad parameter', InputErrorPublic),
                   429: error('Diagnosis quota spent; the analysis is saved', QuotaErrorPublic)},
    )
    async def create_analysis(
        request: Request, caller: Authenticated,
        diagnose: Annotated[bool, Query(description='Also diagnose the log.')] = False,
        group_id: Annotated[int | None, Query(description='The group to diagnose; default the top error.')] = None,
    ) -> AnalysisCreated | JSONResponse:
        # Bodies past the limit (and the multipart overhead) are refused as they stream (ui.security).
        limit = settings.max_upload_bytes
        with tempfile.TemporaryDirectory(dir=settings.data_dir) as workdir:
            path = Path(workdir) / 'upload'
            file_name = await _receive(request, path, limit, settings.max_upload_mb)
            try:
                record = await services.ingest(path, name=file_name, owner=caller)
            except InputError as exc:
                raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(exc)) from None
            except DatabaseUnavailable as exc:
                raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc)) from None
        assert record is not None  # without a session to check, every analysis is saved
        diagnosis_error = None
        if diagnose:
            try:
                await diagnose_saved(database=services.database, analyzer=services.analyzer, analysis_id=record.id,
                                     owner=caller, limits=quota.Limits.from_settings(settings),
                                     group_id=group_id)
            except quota.QuotaExceeded as exc:
                refusal = QuotaErrorPublic(detail=str(exc), analysis_id=record.id)
                return JSONResponse(refusal.model_dump(mode='json'), status.HTTP_429_TOO_MANY_REQUESTS)
            except DiagnosisError as exc:
                diagnosis_error = str(exc)
            except (DatabaseUnavailable, AnalysisNotFound) as exc:
                raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc)) from None
            record = await _store(get_analysis, services.database, analysis_id=record.id, owner=caller) or record
        created = AnalysisCreated.of(record)
        created.diagnosis_error = diagnosis_error
        return created

    @router.get('/analyses', summary='Your saved analyses, newest first',
                description='`q` matches the file name and the error text, every word of it. Page with `offset`.',
                responses={422: error('A bad parameter', InputErrorPublic)})
    async def list_saved(
        caller: Authenticated,
        q: Annotated[str, Query(max_length=200, description='Words to look for.')] = '',
        limit: Annotated[int, Query(ge=1, le=HISTORY_PAGE_SIZE, description='At most this many.')] = HISTORY_PAGE_SIZE,
        offset: Annotated[int, Query(ge=0, description='Skip this many.')] = 0,
    ) -> AnalysesPage:
        # One more than asked tells whether another page follows.
        records = await _store(list_analyses, services.database, owner=caller, query=q, limit=limit + 1, offset=offset)
        return AnalysesPage(items=[AnalysisListed.of(record) for record in records[:limit]], offset=offset,
                            limit=limit, next_offset=offset + limit if len(records) > limit else None)

    @router.get('/analyses/{analysis_id}', summary='A saved analysis with its diagnosis',
                responses={404: error('No such analysis')})
    async def read_analysis(analysis_id: str, caller: Authenticated) -> AnalysisPublic:
        record = await _store(get_analysis, services.database, analysis_id=analysis_id, owner=caller)
        if record is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, 'No such analysis.')
        return AnalysisPublic.of(record)

    @router.get('/analyses/{analysis_id}/compare/{baseline_id}', summary='How an analysis differs from a good run',
                description='Matches the groups of two of your analyses by exception fingerprint or template and says '
                'which are new, gone, growing or shrinking since the baseline.',
                responses={404: error('Either analysis does not exist or is not yours')})
    async def compare_analyses(analysis_id: str, baseline_id: str, caller: Authenticated) -> ComparisonPublic:
        comparison = await _store(compare_saved, services.database, analysis_id=analysis_id, baseline_id=baseline_id,
                                  owner=caller, similarity=settings.template_similarity)
        if comparison is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, 'No such analysis.')
        return ComparisonPublic(analysis_id=analysis_id, baseline_id=baseline_id, comparison=comparison)

    app.include_router(router)


async def _receive(request: Request, path: Path, limit: int, limit_mb: int) -> str:
    """Write the log to `path` (never more than the limit) and return its name."""
    content_type = request.headers.get('content-type', '')
    if content_type.startswith('multipart/form-data'):
        form = await request.form(max_files=1, max_fields=4)
        upload = form.get('file')
        if not isinstance(upload, UploadFile):
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, 'Send the log in the form field "file".')
        if upload.size is not None and upload.size > limit:
            raise _too_large(limit_mb)
        with path.open('wb') as out:
            while chunk := await upload.read(CHUNK):
                out.write(chunk)
        return (upload.filename or 'upload')[:255]
    if content_type.startswith('application/json'):
        try:
            payload = TextAnalysisRequest.model_validate_json(await request.body())
        except ValueError:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT,
                                'Send JSON like {"text": "...", "file_name": "app.log"}.') from None
        data = payload.text.encode('utf-8')
        if len(data) > limit:
            raise _too_large(limit_mb)
        path.write_bytes(data)
        return payload.file_name
    raise HTTPException(status.HTTP_415_UNSUPPORTED_MEDIA_TYPE, 'Send multipart/form-data or application/json.')


async def _store(function: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return await run.io_bound(function, *args, **kwargs)
    except DatabaseUnavailable as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc)) from None


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, message, headers={'WWW-Authenticate': 'Bearer'})


def _too_large(limit_mb: int) -> HTTPException:
    return HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, f'The log is larger than {limit_mb} MB.')
