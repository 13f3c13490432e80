"""Public tests: students have them."""
