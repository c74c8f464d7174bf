"""`rating score`: rate companies straight from a folder of record files, no database."""
