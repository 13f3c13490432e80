"""Chapter 5 — text to tokens, token ids, sliding-window batches and embeddings (book ch. 2)."""
