"""The instance's first-boot script and its deploy command, rendered as Terraform would and then run or linted."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from dockerfile_parse import DockerfileParser

REPO = Path(__file__).parents[2]
TEMPLATE = REPO / 'infra' / 'user_data.sh.tftpl'
SHELLCHECK = Path(sys.executable).parent / 'shellcheck'
VALUES: dict[str, Any] = {
    'name': 'logsentry', 'aws_region': 'eu-central-1', 'domain_name': 'logs.example.com',
    'acme_email': 'ops@example.com', 'image': 'acme/logsentry:1', 'ecr_registry': '',
    'secret_id': 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:logsentry/app-AbCdEf',
    'log_group': '/logsentry/app', 'app_port': 8080, 'data_mount': '/srv/logsentry/data',
    'data_volume_id': 'vol-0123456789abcdef0', 'app_environment': {'GEMINI_MODEL': 'gemini-2.5-flash'},
    'workers': 0, 'local_redis_url': '',
}
WITH_WORKERS = {'workers': 2, 'local_redis_url': 'redis://127.0.0.1:6379/0'}
MAIN = REPO / 'main.py'


def render(template: str, values: dict[str, Any]) -> str:
    """Terraform's templatefile() for the few constructs the template uses; anything else fails the test.

    Terraform cannot be installed here, so this stands in for it and refuses what it does not understand.
    """
    def for_loop(match: re.Match[str]) -> str:
        key, value, mapping, body = match.groups()
        return ''.join(body.replace('${' + key + '}', k).replace('${' + value + '}', str(v))
                       for k, v in values[mapping].items())

    def if_block(match: re.Match[str]) -> str:
        variable, body = match.groups()
        return body if values[variable] != '' else ''

    text = re.sub(r'%\{ for (\w+), (\w+) in (\w+) ~\}\n(.*?)%\{ endfor ~\}\n', for_loop, template, flags=re.DOTALL)
    text = re.sub(r'%\{ if (\w+) != "" ~\}\n(.*?)%\{ endif ~\}\n', if_block, text, flags=re.DOTALL)
    text = re.sub(r'(?<!\$)\$\{replace\((\w+), "-", ""\)\}', lambda m: str(values[m.group(1)]).replace('-', ''), text)
    text = re.sub(r'(?<!\$)\$\{(\w+)\}', lambda m: str(values[m.group(1)]), text)
    assert not re.search(r'(?<!\$)\$\{\w+\(|%\{', text), 'a template construct the renderer does not know'
    return text.replace('$${', '${')


def deploy_command(user_data: str) -> str:
    return re.search(r"<<'DEPLOY'\n(.*?)\nDEPLOY\n", user_data, re.DOTALL).group(1) + '\n'  # type: ignore[union-attr]


def shellcheck(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SHELLCHECK), '--shell=bash', '--severity=style', str(path)], capture_output=True,
                          text=True, timeout=60, check=False)


@pytest.mark.parametrize('overrides', [{}, {'ecr_registry': '123456789012.dkr.ecr.eu-central-1.amazonaws.com'},
                                       WITH_WORKERS], ids=['hub', 'ecr', 'workers'])
def test_user_data_and_deploy_command_pass_shellcheck(tmp_path: Path, overrides: dict[str, Any]) -> None:
    user_data = render(TEMPLATE.read_text(), VALUES | overrides)
    (tmp_path / 'user_data.sh').write_text(user_data)
    (tmp_path / 'deploy.sh').write_text(deploy_command(user_data))
    for script in ('user_data.sh', 'deploy.sh'):
        result = shellcheck(tmp_path / script)
        assert result.returncode == 0, result.stdout


def test_rendered_user_data_configures_caddy_and_the_app(tmp_path: Path) -> None:
    user_data = render(TEMPLATE.read_text(), VALUES)
    assert 'logs.example.com {\n' in user_data and 'email ops@example.com' in user_data
    assert 'GEMINI_MODEL=gemini-2.5-flash\n' in user_data
    assert 'AWS_SECRET_ID=arn:aws:secretsmanager:' in user_data
    assert 'nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0' in user_data
    assert user_data.rstrip().endswith('/usr/local/bin/logsentry-deploy "acme/logsentry:1"')
    assert not render(TEMPLATE.read_text(), VALUES | {'image': ''}).rstrip().endswith('"')


def test_workers_without_a_redis_of_their_own_get_one_on_the_instance() -> None:
    user_data = render(TEMPLATE.read_text(), VALUES | WITH_WORKERS)
    redis = re.search(r'^docker run .*?redis:\S+ redis-server (.*)$', user_data, re.MULTILINE | re.DOTALL)
    assert redis is not None
    assert '--bind 127.0.0.1' in redis.group(1)  # RQ pickles its jobs: only the instance itself may reach Redis
    assert '--maxmemory-policy noeviction' in redis.group(1)
    assert "echo 'REDIS_URL=redis://127.0.0.1:6379/0' >> /etc/logsentry/app.env" in user_data
    assert 'redis-server' not in render(TEMPLATE.read_text(), VALUES)
    assert 'REDIS_URL' not in render(TEMPLATE.read_text(), VALUES)


def test_shellcheck_fails_a_broken_script(tmp_path: Path) -> None:
    broken = deploy_command(render(TEMPLATE.read_text(), VALUES)).replace('docker pull "$image"', 'docker pull $image')
    (tmp_path / 'deploy.sh').write_text(broken)
    assert 'SC2086' in shellcheck(tmp_path / 'deploy.sh').stdout  # unquoted expansion


class Instance:
    """The deploy command run against stand-ins for docker and curl."""

    def __init__(self, tmp_path: Path, overrides: dict[str, Any] | None = None) -> None:
        self.state = tmp_path / 'docker.json'
        self.script = tmp_path / 'deploy.sh'
        self.script.write_text(deploy_command(render(TEMPLATE.read_text(), VALUES | (overrides or {}))))
        bin_dir = tmp_path / 'bin'
        bin_dir.mkdir()
        fake = Path(__file__).parent / 'fake_docker.py'
        for program in ('docker', 'curl'):
            shim = bin_dir / program
            shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{fake}" "$0" "$@"\n')
            shim.chmod(0o755)
        self.env = {**os.environ, 'PATH': f'{bin_dir}:{os.environ["PATH"]}', 'FAKE_DOCKER_STATE': str(self.state),
                    'FAKE_DOCKER_APP': VALUES['name']}

    def deploy(self, image: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(['bash', str(self.script), image], env=self.env, capture_output=True, text=True,
                              timeout=60, check=False)

    @property
    def containers(self) -> dict[str, Any]:
        return json.loads(self.state.read_text())['containers'] if self.state.exists() else {}

    @property
    def stops(self) -> list[list[str]]:
        """The arguments of every `docker stop`."""
        return json.loads(self.state.read_text()).get('stops', []) if self.state.exists() else []


def test_a_deploy_replaces_the_container(tmp_path: Path) -> None:
    instance = Instance(tmp_path)
    assert instance.deploy('acme/logsentry:1').returncode == 0
    result = instance.deploy('acme/logsentry:2')
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == 'deployed acme/logsentry:2'
    app = instance.containers['logsentry']
    assert list(instance.containers) == ['logsentry'] and app['image'] == 'acme/logsentry:2' and app['running']
    for option in ('--read-only', '--cap-drop', 'no-new-privileges', '/srv/logsentry/data:/data', 'awslogs'):
        assert option in app['options']


def test_a_failing_deploy_brings_the_previous_container_back(tmp_path: Path) -> None:
    instance = Instance(tmp_path)
    assert instance.deploy('acme/logsentry:1').returncode == 0
    result = instance.deploy('acme/logsentry:broken')
    assert result.returncode == 1
    assert 'error: acme/logsentry:broken did not answer on /healthz; rolling back' in result.stderr
    assert 'rolled back to acme/logsentry:1' in result.stderr
    app = instance.containers['logsentry']
    assert list(instance.containers) == ['logsentry'] and app['image'] == 'acme/logsentry:1' and app['running']


def test_a_failing_first_deploy_leaves_nothing_running(tmp_path: Path) -> None:
    instance = Instance(tmp_path)
    result = instance.deploy('acme/logsentry:broken')
    assert result.returncode == 1
    assert instance.containers == {}


def test_a_deploy_replaces_the_workers_with_the_same_image_once_the_app_is_healthy(tmp_path: Path) -> None:
    instance = Instance(tmp_path, WITH_WORKERS)
    assert instance.deploy('acme/logsentry:1').returncode == 0
    result = instance.deploy('acme/logsentry:2')
    assert result.returncode == 0, result.stderr
    assert sorted(instance.containers) == ['logsentry', 'logsentry-worker-1', 'logsentry-worker-2']
    for number in (1, 2):
        worker = instance.containers[f'logsentry-worker-{number}']
        assert worker['image'] == 'acme/logsentry:2' and worker['running']
        assert worker['command'] == ['python', 'main.py', 'worker']
        for option in ('--read-only', '--cap-drop', 'no-new-privileges', '--no-healthcheck', '/etc/logsentry/app.env',
                       f'awslogs-stream=worker-{number}'):
            assert option in worker['options']
        assert not any(option.endswith(':/data') for option in worker['options'])  # nothing shared on disk

    # Stopped together, each given time to finish the log it is reading.
    assert ['--time', '120', 'logsentry-worker-1', 'logsentry-worker-2'] in instance.stops

    assert instance.deploy('acme/logsentry:broken').returncode == 1
    assert {container['image'] for container in instance.containers.values()} == {'acme/logsentry:2'}


def test_without_workers_a_deploy_runs_the_app_alone(tmp_path: Path) -> None:
    instance = Instance(tmp_path)
    assert instance.deploy('acme/logsentry:1').returncode == 0
    assert list(instance.containers) == ['logsentry']


def test_the_workers_command_is_one_the_image_runs(tmp_path: Path) -> None:
    instance = Instance(tmp_path, WITH_WORKERS)
    assert instance.deploy('acme/logsentry:1').returncode == 0
    command = instance.containers['logsentry-worker-1']['command']
    image_command = json.loads(DockerfileParser(path=str(REPO / 'Dockerfile')).cmd)
    assert command == [*image_command, 'worker']  # the app's own command, with the worker subcommand
    result = subprocess.run([sys.executable, str(MAIN), 'worker', '--help'], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
