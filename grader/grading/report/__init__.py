"""Report: everything written from the gradebook — CSV, Gradescope JSON, feedback, the TA report."""
