"""Chapter 13 — transfer learning: fine-tuning a pretrained ResNet on Tiny ImageNet (handout 4.5)."""
