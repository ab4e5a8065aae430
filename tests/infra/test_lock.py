"""The lock files every install takes its versions from: pinned, hashed, and in step with pyproject.toml."""

from __future__ import annotations

import re
import subprocess
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).parents[2]
PROJECT = tomllib.loads((REPO / 'pyproject.toml').read_text())
APP_LOCK, DEV_LOCK = REPO / 'requirements.lock', REPO / 'requirements-dev.lock'


@dataclass(frozen=True)
class Locked:
    requirement: Requirement
    hashes: tuple[str, ...]


def read_lock(path: Path) -> list[Locked]:
    entries = []
    for line in path.read_text().replace('\\\n', ' ').splitlines():
        entry = line.split('#', 1)[0].strip()
        if entry:
            entries.append(Locked(Requirement(entry.split('--hash=', 1)[0].strip()),
                                  tuple(re.findall(r'--hash=(sha256:[0-9a-f]{64})\b', entry))))
    return entries


def unpinned(lock: list[Locked]) -> list[str]:
    """Entries that are not one exact version with at least one hash (pip refuses those with --require-hashes)."""
    return [str(entry.requirement) for entry in lock
            if [spec.operator for spec in entry.requirement.specifier] != ['=='] or not entry.hashes]


def unmet(wanted: list[str], lock: list[Locked]) -> list[str]:
    """Requirements from pyproject.toml that the lock leaves out or pins outside their range."""
    versions = defaultdict(set)
    for entry in lock:
        versions[canonicalize_name(entry.requirement.name)] |= {spec.version for spec in entry.requirement.specifier}
    problems = []
    for text in wanted:
        requirement = Requirement(text)
        locked = versions.get(canonicalize_name(requirement.name), set())
        if not locked or not all(requirement.specifier.contains(version, prereleases=True) for version in locked):
            problems.append(text)
    return problems


def pins(lock: list[Locked]) -> dict[tuple[str, str], str]:
    return {(canonicalize_name(e.requirement.name), str(e.requirement.marker)): str(e.requirement.specifier)
            for e in lock}


def make_dry_run(*args: str) -> list[str]:
    result = subprocess.run(['make', '--dry-run', '--always-make', '--no-print-directory', *args], cwd=REPO,
                            capture_output=True, text=True, timeout=60, check=True)
    return result.stdout.splitlines()


@pytest.mark.parametrize('path', [APP_LOCK, DEV_LOCK], ids=lambda path: path.name)
def test_every_locked_package_is_one_version_with_its_hashes(path: Path) -> None:
    lock = read_lock(path)
    assert len(lock) > 50
    assert unpinned(lock) == []


@pytest.mark.parametrize(('path', 'extras'), [(APP_LOCK, []), (DEV_LOCK, ['dev'])], ids=['app', 'dev'])
def test_the_lock_holds_what_pyproject_asks_for(path: Path, extras: list[str]) -> None:
    """A range changed in pyproject.toml without `make lock` fails here; the build's setuptools is locked too."""
    wanted = [*PROJECT['project']['dependencies'], *PROJECT['build-system']['requires'],
              *(dependency for extra in extras for dependency in PROJECT['project']['optional-dependencies'][extra])]
    assert unmet(wanted, read_lock(path)) == []


def test_the_app_runs_on_the_versions_the_tests_ran_on() -> None:
    app, dev = pins(read_lock(APP_LOCK)), pins(read_lock(DEV_LOCK))
    assert {key: (version, dev.get(key)) for key, version in app.items() if dev.get(key) != version} == {}


def test_make_installs_only_from_the_locks(tmp_path: Path) -> None:
    venv = tmp_path / 'venv'
    for stamp, lock in (('.installed-run', APP_LOCK), ('.installed-dev', DEV_LOCK)):
        installs = [line for line in make_dry_run(f'VENV={venv}', f'{venv}/{stamp}') if ' pip install ' in line]
        assert installs == [f'{venv}/bin/python -m pip install -q --require-hashes -r {lock.name}',
                            f'{venv}/bin/python -m pip install -q --no-deps --no-build-isolation -e .']


def test_make_infra_checks_the_terraform_formatting() -> None:
    assert 'terraform fmt -check -diff -recursive infra/' in make_dry_run('infra')


# Deliberately broken locks and ranges must be caught.

def test_an_unhashed_or_unpinned_entry_is_caught(tmp_path: Path) -> None:
    broken = tmp_path / 'broken.lock'
    broken.write_text('six==1.17.0\n    # via python-dateutil\nidna>=3 \\\n    --hash=sha256:' + '0' * 64 + '\n')
    assert unpinned(read_lock(broken)) == ['six==1.17.0', 'idna>=3']


def test_a_range_the_lock_does_not_meet_is_caught() -> None:
    lock = read_lock(APP_LOCK)
    assert unmet(['urllib3>=2,<3', 'drain3>=0.9', 'nicegui[redis]>=3.18,<4'], lock) == ['urllib3>=2,<3', 'drain3>=0.9']
