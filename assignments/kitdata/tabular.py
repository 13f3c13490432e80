"""Iris for chapter 3: scikit-learn's bundled copy (no download needed, online or not).

The handout loads Iris with ``sklearn.datasets.load_iris()``; scikit-learn ships the file
(``sklearn/datasets/data/iris.csv``), so this is the same data everywhere. The manifest
(``datasets/manifest/iris.yaml``) also records the original UCI file and its sha256.
"""
from __future__ import annotations

import numpy as np

__all__ = ["load_iris_arrays", "IRIS_FEATURES", "IRIS_CLASSES"]

IRIS_FEATURES = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]
IRIS_CLASSES = ["setosa", "versicolor", "virginica"]


def load_iris_arrays() -> tuple[np.ndarray, np.ndarray]:
    """``(X float64 (150, 4), y int64 (150,))`` from scikit-learn's bundled Iris."""
    from sklearn.datasets import load_iris

    data = load_iris()
    return np.asarray(data.data, dtype=np.float64), np.asarray(data.target, dtype=np.int64)
