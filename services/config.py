"""All configuration, from the environment and `.env`; nothing else reads the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

STORAGE_SECRET_FILE = 'storage_secret'  # noqa: S105 - a file name, not a secret
LogLevel = Annotated[Literal['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'], BeforeValidator(str.upper)]


class AnalysisSettings(BaseSettings):
    """What reading a log and diagnosing it need: all that `analyze` reads, so server settings cannot stop it."""

    model_config = SettingsConfigDict(env_file='.env', env_file_encoding='utf-8', extra='ignore')

    log_level: LogLevel = Field('INFO', description='Least severe log lines written (audit events always are).')
    log_format: Literal['text', 'json'] = Field('text', description='Log lines as text, or one JSON object each.')
    max_line_kib: int = Field(64, ge=1, description='Longer lines are cut and marked, in KiB.')
    max_upload_mb: int = Field(200, ge=1, description='Largest log accepted, in MB (after decompression too).')
    max_decompressed_mb: int = Field(2048, ge=1, description='A gzip file that inflates past this is refused, in MB.')
    max_compression_ratio: int = Field(
        100, ge=2, description='A compressed log that inflates to more than this many times its size is refused.'
    )
    max_group_occurrences: int = Field(1000, ge=1, description='Line numbers of occurrences kept per group.')
    max_example_lines: int = Field(200, ge=1, description="Lines kept of a group's example event (a stack trace).")
    max_example_chars: int = Field(8192, ge=100, description="Characters kept of a group's example event.")
    context_lines: int = Field(20, ge=0, description='Lines kept from before each kept occurrence of a group.')
    context_after_lines: int = Field(10, ge=0, description='Lines kept from after each kept occurrence of a group.')
    kept_occurrences: int = Field(
        20, ge=1, description='Occurrences of each group kept with the lines around them (its last one besides).'
    )
    max_kept_lines: int = Field(
        5_000, ge=0, description='Most lines kept around occurrences over all groups, for the log view.'
    )
    template_similarity: float = Field(
        0.7, gt=0, le=1, description='Share of equal words that puts two messages in one group.'
    )
    max_groups: int = Field(10000, ge=1, description='Templates kept; past it, new messages join the closest one.')
    template_cache_size: int = Field(200000, ge=0, description='Masked messages remembered for their group.')
    timeline_buckets: int = Field(1000, ge=1, description='Most non-empty time slices kept for the level timeline: '
                                  'the detail a zoomed-in chart can show.')
    activity_slices: int = Field(40, ge=1, description="Time slices in each group's activity (its sparkline).")
    timeline_rows: int = Field(50_000, ge=1, description='Distinct seconds the timeline counts apart while reading; '
                               'a log with more is counted per minute.')
    analysis_workers: int = Field(2, ge=1, description='Processes that read one big log file in parallel.')
    parallel_min_mb: int = Field(32, ge=1, description='Files from this size on are read in parallel, in MB.')
    analysis_timeout_seconds: float = Field(600, gt=0, description='Parsing that takes longer is stopped.')
    gemini_api_key: SecretStr | None = Field(None, description='Google Gemini key. Unset: the offline analyzer.')
    gemini_model: str = Field('gemini-2.5-flash', description='Gemini model used for diagnoses.')
    google_gemini_base_url: str | None = Field(None, description='Another Gemini-protocol endpoint (google-genai).')
    gemini_timeout_seconds: float = Field(60, gt=0, description='A Gemini answer that takes longer is abandoned.')
    gemini_max_retries: int = Field(3, ge=0, description='Retries, with backoff, when Gemini answers 429 or 5xx.')
    gemini_max_output_tokens: int = Field(
        8192, ge=256, description='Most tokens Gemini may write, thinking included; a cut-off answer is dropped.'
    )
    gemini_thinking_budget: int = Field(
        2048, ge=-1, le=32768, description='Tokens Gemini may think before answering (0 off if allowed, -1 its choice).'
    )
    digest_budget_tokens: int = Field(12_000, ge=1_000, description='Most tokens of log evidence sent to the model.')
    redact_ip_addresses: bool = Field(False, description='Also replace IP addresses before evidence leaves.')

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


class Settings(AnalysisSettings):
    """Everything the server needs besides."""

    host: str = Field('127.0.0.1', description='Address the web server listens on.')
    port: int = Field(8080, ge=1, le=65535, description='Port the web server listens on.')
    data_dir: Path = Field(Path('data'), description='Where the database, storage secret and uploads live.')
    storage_secret: SecretStr | None = Field(
        None, description='Signs browser sessions. Unset: generated on first start and kept in DATA_DIR.'
    )
    guest_free_analyses: int = Field(3, ge=0, description='Free model diagnoses for a guest browser.')
    guest_daily_cap_per_address: int = Field(10, ge=0, description='Free model diagnoses a day for one client address.')
    user_daily_cap: int | None = Field(
        None, ge=0, description='Model diagnoses a day for one registered user. Unset: unlimited.'
    )
    keep_uploads: bool = Field(False, description='Keep each uploaded log, redacted, with its analysis.')
    log_view_lines: int = Field(
        2000, ge=100, description='Lines the log view sends to the browser at a time; it loads others as one moves.'
    )
    database_url: str | None = Field(None, description='SQLAlchemy URL. Unset: SQLite file in DATA_DIR.')
    database_lock_timeout_seconds: float = Field(
        5.0, gt=0, description='How long a change waits for another one holding the database before giving up.'
    )
    redis_url: str | None = Field(
        None, description='Redis for browser sessions, login throttling and the analysis queue shared across app '
        'instances; `python main.py worker` processes then read the logs.'
    )
    queue_wait_seconds: float = Field(
        600, gt=0, description='With REDIS_URL: how long a log may wait for a free worker before it is given up.'
    )
    redis_key_prefix: str = Field('logsentry:', description='Prefix of the keys (and queue) this app keeps in Redis.')
    redis_timeout_seconds: float = Field(5, gt=0, description='A call to Redis that takes longer fails.')
    memory_state_max_records: int = Field(
        100_000, ge=100, description='Sign-ins and login handoffs kept in memory without REDIS_URL; oldest go first.'
    )
    firebase_api_key: SecretStr | None = Field(
        None, description='Firebase web API key; with FIREBASE_PROJECT_ID switches to Firebase accounts.'
    )
    firebase_project_id: str | None = Field(None, description='Firebase project id. Unset: local accounts.')
    firebase_credentials: SecretStr | None = Field(
        None, description='Firebase service account: a file path or the JSON itself.'
    )
    firebase_auth_emulator_host: str | None = Field(
        None, description='host:port of a Firebase Auth Emulator, set in the environment (not .env); both Firebase '
        'clients then talk to it.'
    )
    firebase_timeout_seconds: float = Field(
        10, gt=0, description='A call to Firebase Authentication that takes longer is abandoned.'
    )
    firebase_clock_skew_seconds: int = Field(
        10, ge=0, le=60, description="Seconds a Firebase ID token's times may be off from this server's clock."
    )
    password_min_length: int = Field(8, ge=8, description='Shortest password accepted at registration.')
    login_failures_per_account: int = Field(
        5, ge=1, description='Failed logins on one account from one address before that address is paused for it.'
    )
    login_failures_per_address: int = Field(
        20, ge=1, description='Failed logins from one address, over all accounts, before the address is paused.'
    )
    login_throttle_minutes: float = Field(15, gt=0, description='How long failed logins count against a limit.')
    local_session_hours: float = Field(336, gt=0, description='How long a local-account login lasts, in hours.')
    aws_secret_id: str | None = Field(None, description='AWS Secrets Manager secret read at start-up.')
    aws_region: str | None = Field(None, description='AWS region of that secret.')
    trusted_proxies: str = Field(
        '', description='Comma-separated proxy addresses or networks whose X-Forwarded-For and -Proto are believed.'
    )
    secure_cookies: bool = Field(False, description='Mark the session cookie Secure: set it when served over HTTPS.')

    @field_validator('firebase_auth_emulator_host')
    @classmethod
    def _emulator_host_in_environment(cls, host: str | None) -> str | None:
        # firebase-admin reads this variable from the process environment only, and the app never writes there:
        # a value from .env alone would send logins to the emulator and token checks to Google.
        if host and os.environ.get('FIREBASE_AUTH_EMULATOR_HOST') != host:
            raise ValueError('set it in the environment itself, not only in .env (firebase-admin reads it there)')
        return host

    @property
    def database_location(self) -> str:
        return self.database_url or f'sqlite:///{(self.data_dir / "logsentry.db").resolve()}'


def prepare_data_dir(settings: Settings) -> None:
    """Make sure the data directory and a storage secret exist before the server starts."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if settings.storage_secret is None:
        settings.storage_secret = SecretStr(_persistent_storage_secret(settings.data_dir))


def _persistent_storage_secret(data_dir: Path) -> str:
    path = data_dir / STORAGE_SECRET_FILE
    if path.exists():
        return path.read_text(encoding='utf-8').strip()
    secret = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(secret, encoding='utf-8')
    return secret


def describe_settings() -> str:
    """One line per setting for `--help` and the README: environment name, default, meaning."""
    rows = []
    for name, field in Settings.model_fields.items():
        default = '(unset)' if field.default is None else repr(field.default)
        if isinstance(field.default, Path):
            default = str(field.default)
        rows.append(f'  {name.upper():<28} default {default:<22} {field.description}')
    return '\n'.join(rows)
