"""Chapter 4 — CNNs: ResNet-18 on MNIST and CIFAR-10 (handout `mnist_resnet18.py` and its CIFAR-10 section)."""
