"""Read a folder of record files (companies.csv, communities.xlsx, …) into the engine's RatingInputs.

Every file goes through the import pipeline (same formats, spellings and checks as `rating import`);
references are checked against the folder's own companies, communities and contracts. Every error
of every file is collected before anything is rated: one ``ImportRejected`` lists them all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from rating_service.errors import ImportRejected, RatingServiceError
from rating_service.records.formats import KIND_ORDER, KINDS
from rating_service.records.limits import ImportLimits
from rating_service.records.service import UploadedFile, folder_files, labels_for, parse_files
from rating_service.records.validate import ParsedFile, check_references, new_errors
from scoring.engine import RatingInputs
from scoring.methodology import Methodology

REQUIRED_KINDS = ("companies", "communities", "contracts")
CONTRACT_COLUMNS = ["community_id", "credit_code", "start_date", "end_date"]


class FolderLookup:
    """ReferenceLookup over the folder's own files.

    ``None`` for companies or communities means the folder's file of that kind could not be read at
    all (its own errors are reported), so references to it are not flagged a second time.
    """

    def __init__(self, companies: set[str] | None, communities: set[str] | None,
                 contracts: pd.DataFrame | None = None) -> None:
        self.companies = companies
        self.communities = communities
        self.contracts = contracts

    def known_companies(self, codes: Iterable[str]) -> set[str]:
        wanted = set(codes)
        return wanted if self.companies is None else wanted & self.companies

    def known_communities(self, community_ids: Iterable[str]) -> set[str]:
        wanted = set(community_ids)
        return wanted if self.communities is None else wanted & self.communities

    def contracts_of(self, community_ids: Iterable[str]) -> pd.DataFrame:
        """Contracts other than the ones being checked: none, except earlier contracts files of the folder."""
        if self.contracts is None or self.contracts.empty:
            return empty_contracts()
        wanted = set(community_ids)
        return self.contracts[self.contracts["community_id"].isin(wanted)].reset_index(drop=True)


def empty_contracts() -> pd.DataFrame:
    frame = pd.DataFrame({name: pd.Series(dtype=object) for name in CONTRACT_COLUMNS})
    for name in ("start_date", "end_date"):
        frame[name] = frame[name].astype("datetime64[s]")
    return frame


def _values(parsed: list[ParsedFile], column: str) -> set[str] | None:
    """Every value of ``column`` in the files of one kind; None when no file of the kind could be read."""
    frames = [p.frame for p in parsed if column in p.frame]
    if not frames:
        return None
    return {v for frame in frames for v in frame[column].dropna().astype(str)}


def _combined(parsed: list[ParsedFile]) -> pd.DataFrame:
    frames = [p.frame for p in parsed]
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def load_folder(folder: Path, *, today: dt.date, methodology: Methodology | None = None) -> RatingInputs:
    """RatingInputs from the folder's files; raises ImportRejected with the bad rows of every file (bounded as an
    import is). With ``methodology``, categories must be among its lists (as an import's must be among those of
    the methodology in force)."""
    if not folder.is_dir():
        raise RatingServiceError("score_folder_missing", path=str(folder))
    paths = {kind: folder_files(folder, kind) for kind in KIND_ORDER}
    for kind in REQUIRED_KINDS:
        if not paths[kind]:
            raise RatingServiceError("score_file_missing", folder=str(folder), kind=kind, zh=KINDS[kind].zh)

    limits = ImportLimits.from_settings()
    parsed: dict[str, list[ParsedFile]] = {}
    errors = new_errors(limits)
    labels: dict[tuple[str, str], dict[str, str]] = {}
    for kind in KIND_ORDER:
        if not paths[kind]:
            continue
        uploads = [UploadedFile.from_path(p, limits=limits) for p in paths[kind]]
        files, kind_errors = parse_files(KINDS[kind], uploads, today=today, limits=limits, methodology=methodology)
        parsed[kind] = files
        errors.absorb(kind_errors)
        labels.update(labels_for(KINDS[kind], files))

    companies = _values(parsed["companies"], "credit_code")
    communities = _values(parsed["communities"], "community_id")
    # A cell that already failed to parse is not reported again as an unknown reference.
    flagged = {(e.file, e.row, e.column) for e in errors}
    earlier_contracts: list[pd.DataFrame] = []
    for kind, files in parsed.items():
        for file in files:
            if file.frame.empty:
                continue
            existing = pd.concat(earlier_contracts, ignore_index=True) if earlier_contracts else None
            references = new_errors(limits)
            check_references(file, FolderLookup(companies, communities, existing), errors=references)
            errors.absorb(references, skip=lambda e: (e.file, e.row, e.column) in flagged)
            if kind == "contracts":
                earlier_contracts.append(file.frame[CONTRACT_COLUMNS])
    if errors:
        order = {kind: i for i, kind in enumerate(KIND_ORDER)}
        kind_of = {path.name: order[kind] for kind, found in paths.items() for path in found}
        errors.sort(key=lambda e: (kind_of.get(e.file, len(order)), e.file, e.row or 0))
        # Same rows and rendering as an import; the headline says nothing was rated.
        raise ImportRejected(errors, labels=labels, key="score_rejected")

    frames = {kind: _combined(files) for kind, files in parsed.items()}
    return RatingInputs(
        companies=frames["companies"],
        communities=frames["communities"],
        contracts=frames["contracts"],
        inspections=frames.get("inspections"),
        complaints=frames.get("complaints"),
        fee_violations=frames.get("fee_violations"),
        commendations=frames.get("commendations"),
        major_events=frames.get("major_events"),
    )
