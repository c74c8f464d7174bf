"""The intake's HTML pages, one module per page group: `queue` (the review queue, a ticket, the raw-file upload),
`community` (a community's page with its directory names, the triage model's page, the column mappings) and
`systems` (the administrators' intake systems and their keys)."""
