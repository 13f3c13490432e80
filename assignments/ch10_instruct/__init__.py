"""Chapter 10 — instruction fine-tuning (book ch. 7): Alpaca prompts, the instruction dataset, the
padding/masking collate function, response extraction, and scoring with a judge (Ollama or offline)."""
