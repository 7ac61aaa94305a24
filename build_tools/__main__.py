"""``python -m build_tools``: the command line."""

from build_tools.cli import main

raise SystemExit(main())
