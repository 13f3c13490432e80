"""Chapter 2 — backpropagation by hand: a numpy network learns XOR (course handout `xor_nn.py`)."""
