"""The service room: imports, cycles, accounts, audit, web, API and CLI (all I/O lives here)."""

__version__ = "0.1.0"
