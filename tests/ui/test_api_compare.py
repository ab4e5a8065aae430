from __future__ import annotations

from pathlib import Path

from nicegui.testing import User

from tests.ui.test_api import bearer, new_key


async def upload(user: User, key: str, path: Path) -> str:
    created = await user.http_client.post('/api/v1/analyses', files={'file': (path.name, path.read_bytes())},
                                          headers=bearer(key))
    assert created.status_code == 201, created.text
    return str(created.json()['id'])


async def test_two_analyses_are_compared_new_errors_first(user: User, fixtures_dir: Path) -> None:
    key = new_key('dev@example.com')
    good = await upload(user, key, fixtures_dir / 'good_run.log')
    bad = await upload(user, key, fixtures_dir / 'bad_run.log')
    answer = await user.http_client.get(f'/api/v1/analyses/{bad}/compare/{good}', headers=bearer(key))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body['analysis_id'], body['baseline_id']) == (bad, good)
    comparison = body['comparison']
    assert comparison['basis'] == 'hour'
    [new] = comparison['new']
    assert (new['change'], new['level'], new['template']) == (
        'new', 'ERROR', 'ledger write failed: disk quota exceeded on <*>')
    assert (new['log']['count'], new['log']['first_line'], new['baseline']['count']) == (3, 77, 0)
    assert new['log']['first_seen'] == '2026-11-26T14:40:10.870000'
    assert [row['change'] for row in comparison['growing']] == ['growing']
    assert [row['template'] for row in comparison['gone']] == ['nightly export finished in <*>']


async def test_another_users_analysis_on_either_side_is_not_found(user: User, fixtures_dir: Path) -> None:
    owner, stranger = new_key('owner@example.com'), new_key('stranger@example.com')
    mine = await upload(user, owner, fixtures_dir / 'bad_run.log')
    theirs = await upload(user, stranger, fixtures_dir / 'good_run.log')
    for path, key in ((f'{mine}/compare/{theirs}', owner), (f'{theirs}/compare/{mine}', owner),
                      (f'{mine}/compare/{theirs}', stranger), (f'{theirs}/compare/{mine}', stranger),
                      (f'{mine}/compare/no-such-id', owner)):
        answer = await user.http_client.get(f'/api/v1/analyses/{path}', headers=bearer(key))
        assert answer.status_code == 404, path
        assert answer.json() == {'detail': 'No such analysis.'}
    assert (await user.http_client.get(f'/api/v1/analyses/{mine}/compare/{mine}')).status_code == 401


async def test_the_comparison_is_documented(user: User) -> None:
    schema = (await user.http_client.get('/openapi.json')).json()
    route = schema['paths']['/api/v1/analyses/{analysis_id}/compare/{baseline_id}']['get']
    assert route['responses']['200']['content']['application/json']['schema'] == {
        '$ref': '#/components/schemas/ComparisonPublic'}
    assert set(schema['components']['schemas']['Comparison']['properties']) == {
        'basis', 'exposure', 'baseline_exposure', 'new', 'gone', 'growing', 'shrinking', 'unchanged'}
