"""Appeals (异议申诉): a company contests its preliminary rating; officers decide within deadlines."""
