"""The pure scoring room: frames and a methodology in, scores, reasons and evidence out.

It imports nothing from the web, the database or `rating_service`; the engine itself arrives
with the scoring-engine issue.
"""
