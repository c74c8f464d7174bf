"""Record decisions applied to a rating's input frames: a voided record is dropped, an amended one takes new values.

Pure: frames in, frames out. Which decisions apply (an appeal's, every one taken in a cycle so far) is the
service's business; this module only knows how a decision changes the data the engine rates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from scoring.engine import RatingInputs


@dataclass(frozen=True)
class RecordDecision:
    """What becomes of one input record: void it, amend some of its fields, or keep it as it is."""

    kind: str
    record_id: str
    action: str  # void | amend | keep
    changes: dict[str, Any] = field(default_factory=dict)  # for amend: field -> new value


def amended_inputs(inputs: RatingInputs, decisions: Sequence[RecordDecision]) -> RatingInputs:
    """The inputs with record decisions applied: voided rows dropped, amended fields set."""
    frames: dict[str, pd.DataFrame] = {}
    for item in decisions:
        if item.action == "keep":
            continue
        frame = frames.get(item.kind)
        if frame is None:
            frame = inputs.frame(item.kind).copy()
        hit = frame["record_id"].astype(str) == item.record_id
        if item.action == "void":
            frame = frame[~hit]
        else:
            for name, value in item.changes.items():
                column = frame[name]
                if isinstance(column.dtype, pd.CategoricalDtype) or column.dtype == object:
                    frame[name] = column.astype(object)
                    frame.loc[hit, name] = value
                elif str(column.dtype).startswith("datetime64"):
                    frame.loc[hit, name] = pd.NaT if value is None else pd.Timestamp(value)
                else:
                    frame.loc[hit, name] = value
        frames[item.kind] = frame.reset_index(drop=True)
    values = {name: frames.get(name, getattr(inputs, name)) for name in RatingInputs.__dataclass_fields__}
    return RatingInputs(**values)
