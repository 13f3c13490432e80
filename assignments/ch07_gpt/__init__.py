"""Chapter 7 — the GPT-2 architecture: layer norm, GELU, feed-forward, transformer blocks (book ch. 4)."""
