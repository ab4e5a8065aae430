"""Example logs bundled with the app, so a person can try it without a log of their own."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Sample:
    slug: str
    title: str
    file_name: str


SAMPLES = (
    Sample('python-db-refused', 'Python app: database refused', 'python-db-refused.log'),
    Sample('java-spring-oom', 'Java service: out of memory', 'java-spring-oom.log'),
    Sample('nginx-502-storm', 'nginx: 502 storm', 'nginx-502-storm.log'),
    Sample('kubernetes-go-panic', 'Kubernetes: Go panic', 'kubernetes-go-panic.log'),
)


def sample_path(sample: Sample) -> Path:
    return Path(str(resources.files('services').joinpath('samples', sample.file_name)))
