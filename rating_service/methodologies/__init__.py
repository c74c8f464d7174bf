"""Methodology versions: the shipped YAML files and the versions the bureau adopted later (stored, immutable)."""
