"""Chapter 6 — attention, from the simplest form to multi-head causal attention (book ch. 3)."""
