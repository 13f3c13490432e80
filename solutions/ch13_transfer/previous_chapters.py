"""Given code from chapter 4 (like the book's ``previous_chapters.py``): the training and evaluation loops."""
from __future__ import annotations

import torch
from torch import nn


def train_one_epoch(model: nn.Module, loader, criterion, optimizer, device) -> float:
    """One epoch in train mode; returns the mean of the batch losses."""
    model.train()
    total, batches = 0.0, 0
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        total += loss.item()
        batches += 1
    return total / max(batches, 1)


def evaluate(model: nn.Module, loader, device) -> float:
    """Accuracy in ``[0, 1]`` over the loader, in eval mode and without gradients."""
    model.eval()
    correct, seen = 0, 0
    with torch.no_grad():
        for images, labels in loader:
            predicted = model(images.to(device)).argmax(dim=1)
            correct += (predicted == labels.to(device)).sum().item()
            seen += labels.size(0)
    return correct / max(seen, 1)
