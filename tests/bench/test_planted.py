"""The planted incidents know what a right diagnosis of their cause names, and that takes more than the log says."""

import importlib.util
import random
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / 'bench'


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCH / f'{name}.py')
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


planted = _module('planted')
incidents = _module('incidents')
CAUSES = {cause.name: cause for cause in planted.CAUSES}


def test_every_cause_names_what_a_right_answer_mentions_cause_first_then_remedy() -> None:
    for cause in planted.CAUSES:
        assert 2 <= len(cause.must_mention) <= 4, cause.name
        assert all(option for term in cause.must_mention for option in term.split('|')), cause.name


@pytest.mark.parametrize('shape', planted.SHAPES, ids=lambda shape: shape.__name__.strip('_'))
def test_echoing_the_incident_is_no_right_answer_in_any_shape(shape: object) -> None:
    for cause in planted.CAUSES:
        lines, _ = shape(cause, random.Random(1), datetime(2026, 11, 26, 9, tzinfo=UTC))  # type: ignore[operator]
        log = '\n'.join(lines)
        echo = '## Evidence\n```text\n' + log + '\n```\n' + ' '.join(f'`{line.strip()}`' for line in lines)
        assert incidents.lacking(echo, log, cause.must_mention), cause.name


def test_an_answer_that_names_cause_and_remedy_in_its_own_words_is_right() -> None:
    disk = CAUSES['disk-full']
    log = 'write /var/lib/shop/index/seg_7.dat: no space left on device'
    cause_only = 'The disk holding /var/lib/shop is full.'
    assert incidents.lacking(cause_only, log, disk.must_mention) == [disk.must_mention[1]]
    assert incidents.lacking(cause_only + ' Free up space or grow the volume.', log, disk.must_mention) == []
