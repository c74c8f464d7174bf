"""Companies, communities and management contracts."""
