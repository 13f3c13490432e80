"""Chapter 9 — fine-tuning a pretrained GPT to classify SMS messages as spam or not (book ch. 6)."""
