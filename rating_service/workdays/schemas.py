"""The workdays room's JSON: a year's holiday schedule as entered, and the year as the deadlines see it."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class DayIn(BaseModel):
    date: dt.date
    name: str = Field(default="", max_length=100)


class YearIn(BaseModel):
    source: str = Field(min_length=1, max_length=300, description="依据，如 国办发明电〔2026〕7号")
    holidays: list[DayIn] = Field(default_factory=list, max_length=366)
    workdays: list[DayIn] = Field(default_factory=list, max_length=366)
    whole_year: bool = True


class DayOut(BaseModel):
    date: dt.date
    working: bool
    name: str
    source: str = Field(description="package | admin")


class YearOut(BaseModel):
    year: int
    known: bool
    in_package: bool
    entered_by_admin: bool
    source: str | None
    days: list[DayOut]
