"""Credit repair (信用修复): a company's request to end the publicity of a mark early, the officer's review, the
decision and its document, the commitment it signs and breaches of it (docs/repair.md)."""
