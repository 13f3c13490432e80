"""The probe/check test harness.

A *probe* (``tests_*/<chapter>/probes.py``) only calls the implementation under test and returns
plain data; a *check* (the test function) runs probes through the ``run`` / ``ref`` fixtures and
compares with the helpers in :mod:`grader.harness.check`. Probes never hold expected values, so
the grader can run them in a sandbox and keep the checks in the trusted parent.
"""
