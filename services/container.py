"""The services one running app uses, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from services.config import Settings
from services.diagnosis import Analyzer


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    analyzer: Analyzer
