"""The services one running app uses, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from services.config import Settings
from services.diagnosis.analyzer import Analyzer

if TYPE_CHECKING:  # the CLI builds no Services; it should not pay for importing the database layer
    from services.accounts.bearer import Authenticator
    from services.accounts.interface import Accounts
    from services.ingest import Ingest
    from services.state.sign_ins import SignIns
    from services.store.database import Database


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    analyzer: Analyzer
    database: Database
    authenticator: Authenticator  # API bearer tokens; Firebase ID tokens join personal API keys when configured
    accounts: Accounts  # Firebase or local, for the pages
    sign_ins: SignIns  # in memory, or in Redis shared with every instance
    ingest: Ingest  # a log becomes a saved analysis: for the page and the API alike
