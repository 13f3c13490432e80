"""``python -m grader`` entry point."""
from grader.cli import main

raise SystemExit(main())
