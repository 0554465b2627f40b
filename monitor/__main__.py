"""`python -m monitor ...`: the command-line entry point (see monitor/cli/)."""

from monitor.cli import main

raise SystemExit(main())
