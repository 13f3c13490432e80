"""Chapter 8 — pretraining on unlabelled text: loss, training loop, decoding, checkpoints, GPT-2 weights (book ch. 5)."""
