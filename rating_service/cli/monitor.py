"""`rating monitor`: the running rating of the period to date and the companies sliding (docs/monitor.md)."""

from __future__ import annotations
