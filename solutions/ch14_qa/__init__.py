"""Chapter 14 — extractive question answering with a pretrained model (handout 3.2)."""
