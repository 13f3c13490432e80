"""One module per ``python -m grader`` command."""
