"""Batch grading, in pipeline order: intake -> sandbox -> compare -> record -> report.

- :mod:`.intake` reads a submissions folder (folders and zips, safely) into staged trees.
- :mod:`.sandbox` runs the student's code in isolated worker processes that answer probe calls.
- :mod:`.compare` runs the (trusted) checks with pytest, probes going to the sandbox.
- :mod:`.record` keeps the gradebook (SQLite), one transaction per submission.
- :mod:`.report` writes grades.csv, Gradescope results, feedback and the TA report.
"""
