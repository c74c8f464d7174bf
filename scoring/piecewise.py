"""Piecewise-linear scoring curves, their inverse, and half-up rounding (vectorised)."""

from __future__ import annotations

import numpy as np

Breakpoints = tuple[tuple[float, float], ...]
_EPS = 1e-9


def pl(x: np.ndarray | float, points: Breakpoints) -> np.ndarray:
    """PL(x) through ``points``; constant at the last y beyond the last x."""
    xs = np.array([p[0] for p in points], dtype=float)
    ys = np.array([p[1] for p in points], dtype=float)
    return np.interp(np.asarray(x, dtype=float), xs, ys)


def pl_inverse(y: np.ndarray | float, points: Breakpoints) -> np.ndarray:
    """The largest x with PL(x) >= y: the most adverse measure that still earns ``y``.

    NaN where no x earns ``y`` (y above the first breakpoint's y); +inf where every x does
    (y at or below the last breakpoint's y).
    """
    target = np.atleast_1d(np.asarray(y, dtype=float))
    result = np.full(target.shape, np.nan)
    result[target <= points[-1][1] + _EPS] = np.inf
    # Walk segments from the last to the first, so that a flat stretch yields its largest x.
    for (x0, y0), (x1, y1) in reversed(list(zip(points, points[1:], strict=False))):
        pending = np.isnan(result) & (target <= y0 + _EPS) & (target >= y1 - _EPS)
        if not pending.any():
            continue
        if y0 == y1:
            result[pending] = x1
        else:
            result[pending] = x0 + (y0 - target[pending]) * (x1 - x0) / (y0 - y1)
    return result


def round_half_up(values: np.ndarray | float, decimals: int) -> np.ndarray:
    """Round half away from zero for non-negative values, robust to binary representation (x.xx5)."""
    factor = 10.0 ** decimals
    arr = np.asarray(values, dtype=float)
    return np.floor(arr * factor + 0.5 + _EPS) / factor
