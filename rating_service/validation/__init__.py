"""Methodology validation and what-if on the bureau's own cycles."""
