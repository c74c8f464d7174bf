"""Event records (inspections, complaints, fee violations, commendations, major events) and imports."""
