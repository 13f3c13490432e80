"""Hidden tests: only the kit and the grader have them."""
