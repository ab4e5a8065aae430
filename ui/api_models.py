"""What the JSON API answers, as pydantic models: the OpenAPI page at /docs shows these shapes, and FastAPI checks
every answer against them. A saved analysis has the export's shape (services.export), with its link added."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, computed_field

from parsers import Analysis
from parsers.compare import Comparison
from services.export import PUBLIC, AnalysisExport, AnalysisHeadline
from services.store.tables import AnalysisRecord


class TextAnalysisRequest(BaseModel):
    text: str = Field(description='The log text.')
    file_name: str = Field('pasted text', max_length=255, description='A name to show in the history.')


class Linked(BaseModel):
    id: str

    @computed_field(description='The analysis on the web app.')  # type: ignore[prop-decorator]
    @property
    def url(self) -> str:
        return f'/analysis/{self.id}'


class AnalysisPublic(AnalysisExport, Linked):
    pass


class AnalysisCreated(AnalysisPublic):
    diagnosis_error: str | None = Field(default=None, description='Why the diagnosis asked for could not be made; the '
                                        'analysis is saved all the same.')


class AnalysisListed(Linked):
    """A saved analysis in a list: its headline figures, without its timeline, groups or diagnosis (read the analysis
    for those)."""

    model_config = PUBLIC

    file_name: str
    size_bytes: int
    created_at: datetime
    summary: AnalysisHeadline
    diagnosis_model: str | None = Field(description='What made its diagnosis; null when it has none.')
    diagnosed_at: datetime | None

    @classmethod
    def of(cls, record: AnalysisRecord) -> Self:
        """From a record as listed: its groups and timeline are not loaded, so the summary is read alone."""
        summary = Analysis.from_dict({**record.summary, 'groups': []})
        return cls(id=record.id, file_name=record.file_name, size_bytes=record.size_bytes,
                   created_at=record.created_at, summary=AnalysisHeadline.of(summary), diagnosis_model=record.model,
                   diagnosed_at=record.diagnosed_at)


class AnalysesPage(BaseModel):
    """One page of your analyses, newest first."""

    model_config = PUBLIC

    items: list[AnalysisListed]
    offset: int
    limit: int
    next_offset: int | None = Field(description='The offset of the next page; null on the last one.')


class ComparisonPublic(BaseModel):
    model_config = PUBLIC

    analysis_id: str
    baseline_id: str
    comparison: Comparison = Field(description='Groups new, gone, growing, shrinking and unchanged, each by severity '
                                   'then size; counts are compared as rates per `basis`.')


class ErrorPublic(BaseModel):
    detail: str = Field(description='What went wrong, in words meant for a person.')


class QuotaErrorPublic(ErrorPublic):
    analysis_id: str = Field(description='The analysis, saved without a diagnosis.')


class FieldProblem(BaseModel):
    """One of FastAPI's validation errors; some carry more, such as the limit that was passed (`ctx`)."""

    model_config = ConfigDict(extra='allow')

    loc: list[str | int] = Field(description='Where: the part of the request and the parameter.')
    msg: str
    type: str
    input: Any = Field(description='The value sent.')


class InputErrorPublic(BaseModel):
    detail: str | list[FieldProblem] = Field(description='Why the log cannot be read, or which parameter is wrong.')


def error(description: str, model: type[BaseModel] = ErrorPublic) -> dict[str, Any]:
    """An entry of a route's `responses=`."""
    return {'description': description, 'model': model}
