"""Untrusted code runs here: a launcher isolates a worker process that answers probe calls.

``launcher.py`` and ``worker.py`` run as plain scripts (``python -I -S``), importing nothing from
the kit; the parent side is :mod:`.client`.
"""
