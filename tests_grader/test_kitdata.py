"""The kit's data layer: manifests, verified downloads, offline fallbacks, the offline datasets."""
import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from grader.layout import SOLUTIONS

sys.path.insert(0, str(SOLUTIONS))  # kitdata is given code: the same in solutions/ and assignments/
from kitdata import fetch, vision  # noqa: E402

MANIFEST_KEYS = {"name", "title", "license", "offline"}


@pytest.mark.parametrize("path", sorted((fetch.datasets_dir() / "manifest").glob("*.yaml")), ids=lambda p: p.stem)
def test_manifest_entries_are_complete(path):
    meta = fetch.manifest(path.stem)
    assert MANIFEST_KEYS <= set(meta), f"{path.name} lacks {MANIFEST_KEYS - set(meta)}"
    for entry in fetch._entries(meta) if (meta.get("url") or meta.get("files")) else []:
        assert entry["urls"] and all(u.startswith(("https://", "http://")) for u in entry["urls"])
        sha = entry["sha256"]
        assert sha is None or (len(sha) == 64 and int(sha, 16) >= 0), f"{path.name}: bad sha256 {sha!r}"


@pytest.fixture
def local_dataset(tmp_path, monkeypatch):
    """A manifest whose URL is a local file, and an empty cache."""
    source = tmp_path / "remote" / "data.bin"
    source.parent.mkdir()
    source.write_bytes(os.urandom(4096))
    (tmp_path / "datasets" / "manifest").mkdir(parents=True)
    monkeypatch.setenv("KIT_DATASETS_DIR", str(tmp_path / "datasets"))
    monkeypatch.setenv("KIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("KIT_OFFLINE", raising=False)

    def write(sha256):
        meta = {"name": "local", "title": "t", "license": "l", "url": source.as_uri(), "sha256": sha256,
                "offline": {"description": {"zh": "离线副本", "en": "the offline copy"}}}
        (tmp_path / "datasets" / "manifest" / "local.yaml").write_text(yaml.safe_dump(meta))
        return source

    return write


def test_download_verifies_and_caches(local_dataset, tmp_path):
    source = local_dataset(hashlib.sha256((tmp_path / "remote" / "data.bin").read_bytes()).hexdigest())
    got = fetch.download("local", offline=False)
    assert got == tmp_path / "cache" / "local" / "data.bin" and got.read_bytes() == source.read_bytes()
    source.unlink()  # a verified cached copy is not downloaded again
    assert fetch.download("local", offline=False) == got


def test_checksum_mismatch_raises_and_deletes(local_dataset, tmp_path):
    local_dataset("0" * 64)
    with pytest.raises(fetch.ChecksumError, match="checksum mismatch") as err:
        fetch.download("local", offline=False)
    assert "校验失败" in str(err.value)
    assert not (tmp_path / "cache" / "local" / "data.bin").exists()


def test_offline_mode_says_so_and_returns_none(local_dataset, capsys, monkeypatch):
    local_dataset("0" * 64)
    monkeypatch.setenv("KIT_OFFLINE", "1")
    assert fetch.download("local") is None
    err = capsys.readouterr().err
    assert "offline mode (KIT_OFFLINE=1)" in err and "the offline copy" in err and "离线副本" in err


def test_unreachable_url_falls_back(local_dataset, capsys):
    local_dataset("0" * 64).unlink()
    assert fetch.download("local", offline=False) is None
    assert "could not download local" in capsys.readouterr().err


def test_missing_sha256_refuses_unverified_download(local_dataset, capsys):
    local_dataset(None)
    assert fetch.download("local", offline=False) is None
    assert "refusing an unverified download" in capsys.readouterr().err


def test_mnist5k_split_is_fixed_stratified_and_disjoint():
    (xtr, ytr), (xte, yte) = vision.mnist5k_arrays(True), vision.mnist5k_arrays(False)
    assert xtr.shape == (4000, 28, 28) and xte.shape == (1000, 28, 28) and xtr.dtype == np.uint8
    assert np.bincount(yte, minlength=10).tolist() == [100] * 10
    assert np.bincount(ytr, minlength=10).tolist() == [400] * 10
    train_rows = {x.tobytes() for x in xtr}
    assert sum(x.tobytes() in train_rows for x in xte) <= 5  # the file has a few duplicate digits at most
    ds = vision.load_mnist(train=False, offline=True)
    image, label = ds[0]
    assert len(ds) == 1000 and image.size == (28, 28) and label == int(yte[0])


def test_synthetic_cifar_is_torchvision_cifar_and_shareable(tmp_path, monkeypatch):
    from torchvision.datasets import CIFAR10

    monkeypatch.setenv("KIT_CACHE_DIR", str(tmp_path))
    root = vision.synthetic_cifar_root()
    folder = root / "cifar-10-batches-py"
    for path in [folder, *folder.iterdir()]:  # a grading sandbox reads it as another user
        need = 0o005 if path.is_dir() else 0o004
        assert stat.S_IMODE(path.stat().st_mode) & need == need, path
    train, test = vision.load_cifar10(train=True, offline=True), vision.load_cifar10(train=False, offline=True)
    assert isinstance(test, CIFAR10) and len(train) == 5000 and len(test) == 1000
    assert np.bincount(test.targets, minlength=10).min() >= 80 and len(test.classes) == 10
    assert test.data.shape == (1000, 32, 32, 3) and test.data.dtype == np.uint8
    again = vision.synthetic_cifar_root(tmp_path / "again")  # deterministic: same files, same md5s
    assert (again / "cifar-10-batches-py" / "checksums.json").read_text() == (folder / "checksums.json").read_text()


def test_prepare_command(tmp_path):
    # the pretrained models are slow to make: share the kit's cached copies (the data is made afresh)
    from kitdata.qa import QA_VERSION
    from kitdata.tinyimagenet import BACKBONE_VERSION

    for name in ("tiny-gpt", f"kit-backbone-v{BACKBONE_VERSION}", f"kit-qa-bert-v{QA_VERSION}"):
        (fetch.cache_dir() / name).mkdir(exist_ok=True)
        (tmp_path / name).symlink_to(fetch.cache_dir() / name, target_is_directory=True)
    shared = fetch.cache_dir() / "tiny-gpt"
    env = dict(os.environ, KIT_CACHE_DIR=str(tmp_path), PYTHONPATH=str(SOLUTIONS), KIT_OFFLINE="1")
    done = subprocess.run([sys.executable, "-m", "kitdata"], cwd=SOLUTIONS, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "synthetic-cifar10-v1" / "cifar-10-batches-py").is_dir()
    train = np.load(tmp_path / "mnist5k-v1-train.npz")  # the training split alone, for grading sandboxes
    assert train["images"].shape == (4000, 28, 28) and train["labels"].shape == (4000,)
    assert oct(os.stat(tmp_path / "mnist5k-v1-train.npz").st_mode & 0o777) == "0o644"
    hidden = subprocess.run([sys.executable, "-m", "kitdata", "--sandbox-hidden"], cwd=SOLUTIONS, env=env,
                            capture_output=True, text=True, check=True).stdout.split()
    assert any(Path(p, "mnist_5k.csv.gz").is_file() for p in hidden), hidden
    assert "tiny pretrained GPT" in done.stdout and list(shared.glob("tiny-gpt-*.safetensors"))
