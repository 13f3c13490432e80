"""Chapter 3 — Iris with PyTorch: model, leak-free split, training and evaluation (handout `iris_neural_network.py`)."""
