"""`python -m rating_service.cli …`: the `rating` command."""

from rating_service.cli import main

main()
