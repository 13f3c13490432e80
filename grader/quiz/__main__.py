"""`python -m grader.quiz CHAPTER ...` (the same command as `python -m grader quiz`)."""
from .cli import main

raise SystemExit(main())
