"""`python -m ftdraft`: the same as the `ftdraft` console script."""

from .cli import main

raise SystemExit(main())
