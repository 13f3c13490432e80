"""From ``solutions/`` (the one source) to ``assignments/`` and the student release."""
