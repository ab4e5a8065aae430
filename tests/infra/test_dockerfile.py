"""The production image: hadolint's rules plus the properties the deployment relies on."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from dockerfile_parse import DockerfileParser

from services.config import Settings
from tests.e2e.conftest import start_app, stop_app

REPO = Path(__file__).parents[2]
HADOLINT = Path(sys.executable).parent / 'hadolint'


def hadolint(dockerfile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(HADOLINT), '--no-color', str(dockerfile)], capture_output=True, text=True, timeout=60,
                          check=False)


def final_stage(dockerfile: Path) -> list[dict[str, str]]:
    instructions = [i for i in DockerfileParser(path=str(dockerfile)).structure if i['instruction'] != 'COMMENT']
    start = max(n for n, i in enumerate(instructions) if i['instruction'] == 'FROM')
    return instructions[start:]


def runtime_user(dockerfile: Path) -> str:
    users = [i['value'].split(':')[0].strip() for i in final_stage(dockerfile) if i['instruction'] == 'USER']
    return users[-1] if users else 'root'


def test_hadolint_passes() -> None:
    result = hadolint(REPO / 'Dockerfile')
    assert result.returncode == 0, result.stdout + result.stderr


def test_image_is_multi_stage_on_python_311_or_newer_pinned_by_digest() -> None:
    assert len(stages(REPO / 'Dockerfile')) >= 2
    images = base_images(REPO / 'Dockerfile')
    assert len(images) == 1, images  # every stage starts from the one pinned image
    version = re.fullmatch(r'python:3\.(\d+)-slim(-\w+)?@sha256:[0-9a-f]{64}', images[0])
    assert version and int(version.group(1)) >= 11, images[0]


def test_the_builder_installs_the_locked_versions_with_their_hashes() -> None:
    runs = [i['value'] for i in DockerfileParser(path=str(REPO / 'Dockerfile')).structure if i['instruction'] == 'RUN']
    installs = [re.sub(r'\s+', ' ', part.strip()) for run in runs for part in run.split('&&') if ' install ' in part]
    assert installs == ['/opt/venv/bin/pip install --no-cache-dir --require-hashes -r requirements.lock',
                        '/opt/venv/bin/pip install --no-cache-dir --no-deps --no-build-isolation .']


def stages(dockerfile: Path) -> list[str]:
    return [i['value'] for i in DockerfileParser(path=str(dockerfile)).structure if i['instruction'] == 'FROM']


def base_images(dockerfile: Path) -> list[str]:
    """The images stages start from, not counting stages built on earlier stages."""
    names: set[str] = set()
    images = []
    for stage in stages(dockerfile):
        image, *alias = stage.split()
        if image not in names:
            images.append(image)
        names.update(alias[-1:])
    return images


def test_runtime_stage_runs_as_an_unprivileged_user() -> None:
    assert runtime_user(REPO / 'Dockerfile') not in {'root', '0'}


def test_runtime_stage_installs_and_compiles_nothing() -> None:
    runs = ' '.join(i['value'] for i in final_stage(REPO / 'Dockerfile') if i['instruction'] == 'RUN')
    assert not re.search(r'\b(pip|apt-get|apt|gcc|make)\b', runs), runs


def test_health_check_probes_healthz_and_data_is_a_volume() -> None:
    stage = final_stage(REPO / 'Dockerfile')
    health = [i['value'] for i in stage if i['instruction'] == 'HEALTHCHECK']
    assert health and '/healthz' in health[0]
    env = DockerfileParser(path=str(REPO / 'Dockerfile')).envs
    volumes = ' '.join(i['value'] for i in stage if i['instruction'] == 'VOLUME')
    assert f'"{env["DATA_DIR"]}"' in volumes
    assert env['NICEGUI_STORAGE_PATH'].startswith(env['DATA_DIR'] + '/')


def test_the_health_check_command_answers_for_the_running_app_only(tmp_path: Path) -> None:
    """The app started with the image's environment (its volume under tmp_path), probed by the HEALTHCHECK command."""
    env = DockerfileParser(path=str(REPO / 'Dockerfile')).envs
    volume = tmp_path / 'volume'
    storage = env['NICEGUI_STORAGE_PATH'].replace(env['DATA_DIR'], str(volume), 1)
    health = next(i['value'] for i in final_stage(REPO / 'Dockerfile') if i['instruction'] == 'HEALTHCHECK')
    command = json.loads(health.split(' CMD ', 1)[1])
    assert command[0] == 'python'
    command[0] = sys.executable  # the image's python; stdlib only

    server = start_app(tmp_path, {'DATA_DIR': str(volume), 'NICEGUI_STORAGE_PATH': storage})
    probe_env = {**os.environ, 'PORT': server.url.rsplit(':', 1)[1]}
    try:
        healthy = subprocess.run(command, env=probe_env, capture_output=True, text=True, timeout=30, check=False)
    finally:
        stop_app(server)
    stopped = subprocess.run(command, env=probe_env, capture_output=True, text=True, timeout=30, check=False)
    assert healthy.returncode == 0, healthy.stderr
    assert stopped.returncode != 0
    assert volume.is_dir()  # the app's data went to the volume


def test_the_image_writes_json_log_lines() -> None:
    env = DockerfileParser(path=str(REPO / 'Dockerfile')).envs
    assert Settings.model_validate({'log_format': env['LOG_FORMAT']}).log_format == 'json'


def test_no_secret_is_baked_into_the_image() -> None:
    parser = DockerfileParser(path=str(REPO / 'Dockerfile'))
    names = set(parser.envs) | set(parser.args)
    assert not [name for name in names if re.search(r'SECRET|KEY|PASSWORD|TOKEN|CREDENTIALS', name)]


def test_build_context_holds_every_package_and_nothing_else() -> None:
    patterns = [line for line in (REPO / '.dockerignore').read_text().splitlines() if line and line[0] != '#']
    assert patterns[0] == '*'  # everything else, .env and data/ included, stays out
    project = tomllib.loads((REPO / 'pyproject.toml').read_text())
    packages = [p.rstrip('*') for p in project['tool']['setuptools']['packages']['find']['include']]
    modules = [f'{m}.py' for m in project['tool']['setuptools']['py-modules']]
    needed = ['pyproject.toml', 'requirements.lock', project['project']['readme'], *modules,
              *(f'{p}/' for p in packages)]
    assert [name for name in needed if f'!{name}' not in patterns] == []


def test_the_image_installs_every_file_the_packages_hold(tmp_path: Path) -> None:
    """Build the wheel the builder stage builds, from only what .dockerignore lets in: nothing may be left out."""
    context = build_context(tmp_path / 'context')
    result = subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--quiet', '--no-deps', '--wheel-dir',
                             str(tmp_path / 'wheel'), str(context)], capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    installed = set(zipfile.ZipFile(next((tmp_path / 'wheel').glob('*.whl'))).namelist())
    project = tomllib.loads((REPO / 'pyproject.toml').read_text())
    packages = tuple(p.rstrip('*') + '/' for p in project['tool']['setuptools']['packages']['find']['include'])
    needed = {path for path in tracked_files() if path.startswith(packages)} | {'main.py'}
    assert sorted(needed - installed) == []


def build_context(destination: Path) -> Path:
    """The tracked files `docker build` would send: .dockerignore excludes everything, then lets top-level names in."""
    patterns = [line for line in (REPO / '.dockerignore').read_text().splitlines() if line and line[0] != '#']
    allowed = {pattern[1:].rstrip('/') for pattern in patterns if pattern.startswith('!')}
    assert patterns[0] == '*' and not [name for name in allowed if '/' in name or '*' in name]  # the only form read
    for path in tracked_files():
        if path.split('/')[0] in allowed:
            (destination / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(REPO / path, destination / path)
    return destination


def tracked_files() -> list[str]:
    result = subprocess.run(['git', 'ls-files'], cwd=REPO, capture_output=True, text=True, timeout=60, check=True)
    return result.stdout.splitlines()


@pytest.fixture
def root_image(repo_copy: Path) -> Path:
    dockerfile = repo_copy / 'Dockerfile'
    dockerfile.write_text(dockerfile.read_text().replace('USER 10001:10001', 'USER root'))
    return dockerfile


def test_an_image_running_as_root_fails_both_checks(root_image: Path) -> None:
    assert 'DL3002' in hadolint(root_image).stdout  # Last USER should not be root
    assert runtime_user(root_image) == 'root'


def test_an_image_without_user_runs_as_root(repo_copy: Path) -> None:
    dockerfile = repo_copy / 'Dockerfile'
    dockerfile.write_text(dockerfile.read_text().replace('USER 10001:10001\n', ''))
    assert runtime_user(dockerfile) == 'root'
