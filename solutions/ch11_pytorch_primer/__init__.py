"""Chapter 11 — a PyTorch primer (handout Appendix A): tensors, autograd, modules, training, data loading. Do it before ch03."""
