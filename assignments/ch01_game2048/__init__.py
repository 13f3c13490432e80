"""Chapter 1 — the 2048 game and its expectimax AI (course handout, 2048 series)."""
