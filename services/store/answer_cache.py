"""Diagnoses kept under the analyzer's cache key: the same question is answered again at no cost."""

from __future__ import annotations

from sqlalchemy import select

from services.diagnosis.analyzer import Diagnosis
from services.store.database import Database, insert_or_ignore
from services.store.tables import CachedAnswer, utcnow


def cached_answer(database: Database, *, key: str) -> Diagnosis | None:
    with database.read() as session:
        record = session.scalars(select(CachedAnswer).where(CachedAnswer.key == key)).first()
    if record is None:
        return None
    return Diagnosis(markdown=record.markdown, model=record.model, signature_id=record.signature_id,
                     input_tokens=record.input_tokens, output_tokens=record.output_tokens,
                     thinking_tokens=record.thinking_tokens)


def remember_answer(database: Database, *, key: str, diagnosis: Diagnosis) -> None:
    with database.write() as session:
        insert_or_ignore(session, CachedAnswer, {
            'key': key, 'markdown': diagnosis.markdown, 'model': diagnosis.model,
            'signature_id': diagnosis.signature_id,
            'input_tokens': diagnosis.input_tokens, 'output_tokens': diagnosis.output_tokens,
            'thinking_tokens': diagnosis.thinking_tokens, 'created_at': utcnow(),
        })
