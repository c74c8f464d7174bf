"""Intake: data as the bureau receives it (12345 hotline tickets, patrol sheets, pushes from other systems) turned
into records: the community directory with names as people write them, matching, personal-data removal, category
and relevance triage, the officers' review queue, the intake API and its per-system keys."""
