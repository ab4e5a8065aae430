"""The API's documented shapes: every route names its models, and what it really answers is exactly that shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from nicegui.testing import User
from pydantic import BaseModel

from tests.ui.test_api import LOG, bearer, new_key
from ui.api_models import (
    AnalysesPage,
    AnalysisCreated,
    AnalysisPublic,
    ComparisonPublic,
    ErrorPublic,
    InputErrorPublic,
    QuotaErrorPublic,
)

MODELS: dict[str, type[BaseModel]] = {model.__name__: model for model in (
    AnalysesPage, AnalysisCreated, AnalysisPublic, ComparisonPublic, ErrorPublic, InputErrorPublic, QuotaErrorPublic)}
ROUTES = {
    ('post', '/api/v1/analyses'): ('201', 'AnalysisCreated'),
    ('get', '/api/v1/analyses'): ('200', 'AnalysesPage'),
    ('get', '/api/v1/analyses/{analysis_id}'): ('200', 'AnalysisPublic'),
    ('get', '/api/v1/analyses/{analysis_id}/compare/{baseline_id}'): ('200', 'ComparisonPublic'),
}


async def test_every_route_names_its_answer_and_error_models(user: User) -> None:
    schema = await openapi(user)
    routes = {(method, path): operation for path, methods in schema['paths'].items() if path.startswith('/api/v1/')
              for method, operation in methods.items()}
    assert set(routes) == set(ROUTES)
    for route, operation in routes.items():
        success, model = ROUTES[route]
        named = {code: model_name(answer) for code, answer in operation['responses'].items()}
        assert named.pop(success) == model, route
        assert named.pop('401') == named.pop('503') == 'ErrorPublic', route
        assert set(named.values()) <= {'ErrorPublic', 'InputErrorPublic', 'QuotaErrorPublic', 'HTTPValidationError'}
    summary = schema['components']['schemas']['AnalysisSummary']
    assert 'groups' not in summary['properties']  # sent beside it
    headline = schema['components']['schemas']['AnalysisHeadline']['properties']
    assert {'lines', 'level_counts', 'first_timestamp'} <= set(headline)
    assert not {'groups', 'timeline', 'segments'} & set(headline)
    group = schema['components']['schemas']['Group']['properties']
    assert {'incident_score', 'incident_reasons', 'first_seen', 'exception'} <= set(group)


async def test_a_scripted_client_gets_exactly_the_declared_shapes(user: User, fixtures_dir: Path) -> None:
    key = new_key('dev@example.com')
    client = user.http_client
    good = await client.post('/api/v1/analyses', headers=bearer(key),
                             files={'file': ('good_run.log', (fixtures_dir / 'good_run.log').read_bytes())})
    await conforms(user, 'post', '/api/v1/analyses', good, 201)
    bad = await client.post('/api/v1/analyses?diagnose=true', headers=bearer(key),
                            json={'text': (fixtures_dir / 'bad_run.log').read_text(), 'file_name': 'bad_run.log'})
    created = await conforms(user, 'post', '/api/v1/analyses', bad, 201)
    assert created['diagnosis']['model'] == 'offline' and created['diagnosis_error'] is None
    assert created['url'] == f'/analysis/{created["id"]}'
    assert created['groups'][0]['incident_score'] > 0 and created['groups'][0]['incident_reasons']

    read = await conforms(user, 'get', '/api/v1/analyses/{analysis_id}',
                          await client.get(f'/api/v1/analyses/{created["id"]}', headers=bearer(key)), 200)
    assert read == {name: value for name, value in created.items() if name != 'diagnosis_error'}
    compared = await client.get(f'/api/v1/analyses/{created["id"]}/compare/{good.json()["id"]}', headers=bearer(key))
    await conforms(user, 'get', '/api/v1/analyses/{analysis_id}/compare/{baseline_id}', compared, 200)

    first = await conforms(user, 'get', '/api/v1/analyses',
                           await client.get('/api/v1/analyses?limit=1', headers=bearer(key)), 200)
    assert ([item['file_name'] for item in first['items']], first['next_offset']) == (['bad_run.log'], 1)
    assert first['items'][0]['diagnosis_model'] == 'offline'
    # A list item's summary is the analysis' own, less what only reading the analysis sends.
    assert first['items'][0]['summary'] == {name: value for name, value in read['summary'].items()
                                            if name not in ('timeline', 'timeline_step_seconds', 'segments')}
    assert read['summary']['timeline'] and read['summary']['segments']
    last = await conforms(user, 'get', '/api/v1/analyses',
                          await client.get('/api/v1/analyses?limit=1&offset=1', headers=bearer(key)), 200)
    assert ([item['file_name'] for item in last['items']], last['next_offset']) == (['good_run.log'], None)
    found = await client.get('/api/v1/analyses', params={'q': 'disk quota'}, headers=bearer(key))
    assert [item['file_name'] for item in (await conforms(user, 'get', '/api/v1/analyses', found, 200))['items']] \
        == ['bad_run.log']


async def test_errors_have_the_declared_shapes(user: User) -> None:
    key = new_key('dev@example.com')
    client = user.http_client
    create = ('post', '/api/v1/analyses')
    await conforms(user, *create, await client.post('/api/v1/analyses', json={'text': LOG}), 401)
    await conforms(user, *create, await client.post('/api/v1/analyses', content=LOG,
                                                    headers={**bearer(key), 'content-type': 'text/plain'}), 415)
    unreadable = await conforms(user, *create, await client.post('/api/v1/analyses', files={'file': ('a.log', b'')},
                                                                 headers=bearer(key)), 422)
    assert unreadable['detail'] == 'the file is empty'
    wrong_parameter = await client.post('/api/v1/analyses?group_id=first', json={'text': LOG}, headers=bearer(key))
    assert (await conforms(user, *create, wrong_parameter, 422))['detail'][0]['loc'] == ['query', 'group_id']
    too_many = await client.get('/api/v1/analyses?limit=1000', headers=bearer(key))
    assert (await conforms(user, 'get', '/api/v1/analyses', too_many, 422))['detail'][0]['loc'] == ['query', 'limit']
    missing = await client.get('/api/v1/analyses/no-such-id', headers=bearer(key))
    assert await conforms(user, 'get', '/api/v1/analyses/{analysis_id}', missing, 404) == {
        'detail': 'No such analysis.'}


async def conforms(user: User, method: str, route: str, answer: httpx.Response, status: int) -> dict[str, Any]:
    """The answer's JSON, after checking that it has `status` and is exactly the model documented for it."""
    assert answer.status_code == status, answer.text
    declared = (await openapi(user))['paths'][route][method]['responses'][str(status)]
    model = MODELS[model_name(declared)]
    body: dict[str, Any] = answer.json()
    assert model.model_validate(body).model_dump(mode='json') == body, f'{route} {status} is not a {model.__name__}'
    return body


async def openapi(user: User) -> dict[str, Any]:
    schema: dict[str, Any] = (await user.http_client.get('/openapi.json')).json()
    return schema


def model_name(answer: dict[str, Any]) -> str:
    return str(answer['content']['application/json']['schema']['$ref']).removeprefix('#/components/schemas/')
