"""`rating doctor`: the checks of a site's configuration (settings, secret and audit keys, public address, folders,
fonts, database schema, working-day calendar, job queue, production settings), each finding with its remedy."""
