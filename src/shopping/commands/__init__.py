"""The parts of the `shopping-api` command line (`shopping/cli.py`) that need more than a few
lines: the database checks, client management and the demo data."""
