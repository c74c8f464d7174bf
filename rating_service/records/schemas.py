"""The records room's JSON: what an import did, the import batches, records of a kind, a deletion."""

from __future__ import annotations

from pydantic import BaseModel, Field

from rating_service.web.schemas import JsonObject, Timestamp


class ImportSummaryOut(BaseModel):
    kind: str
    filename: str
    file_format: str = Field(description="csv | xlsx")
    encoding: str | None
    rows: int
    inserted: int
    updated: int
    unchanged: int
    dropped_columns: list[str]
    ignored_columns: list[str]
    batch_id: int | None


class ImportOut(BaseModel):
    kind: str
    files: list[ImportSummaryOut]


class BatchOut(BaseModel):
    id: int
    kind: str
    filename: str
    format: str = Field(description="csv | xlsx")
    imported_at: Timestamp
    imported_by: str
    rows: int
    inserted: int
    updated: int
    unchanged: int


class RecordPageOut(BaseModel):
    kind: str
    total: int
    limit: int
    offset: int
    items: list[JsonObject] = Field(description="the records' columns, which differ by kind / 各类记录字段不同")


class DeletedOut(BaseModel):
    deleted: int
