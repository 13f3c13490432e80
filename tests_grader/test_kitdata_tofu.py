"""kitdata: trust on first use for manifests without a pinned sha256, the generated SMS set, the tiny GPT."""
import hashlib
import os
import stat
import sys

import pytest
import torch
import yaml

from grader.layout import SOLUTIONS

sys.path.insert(0, str(SOLUTIONS))  # kitdata is given code: the same in solutions/ and assignments/
from kitdata import fetch, sms, tinygpt  # noqa: E402


@pytest.fixture
def unpinned(tmp_path, monkeypatch):
    """A manifest with ``sha256: null`` whose URL is a local file, and an empty cache."""
    source = tmp_path / "remote" / "data.bin"
    source.parent.mkdir()
    source.write_bytes(os.urandom(2048))
    (tmp_path / "datasets" / "manifest").mkdir(parents=True)
    meta = {"name": "local", "title": "t", "license": "l", "url": source.as_uri(), "sha256": None,
            "offline": {"description": {"zh": "离线副本", "en": "the offline copy"}}}
    (tmp_path / "datasets" / "manifest" / "local.yaml").write_text(yaml.safe_dump(meta))
    monkeypatch.setenv("KIT_DATASETS_DIR", str(tmp_path / "datasets"))
    monkeypatch.setenv("KIT_CACHE_DIR", str(tmp_path / "cache"))
    for var in ("KIT_OFFLINE", "KIT_TRUST_NEW"):
        monkeypatch.delenv(var, raising=False)
    return source


def test_without_opt_in_says_how_to_opt_in_or_pin(unpinned, tmp_path, capsys):
    assert fetch.download("local", offline=False) is None
    err = capsys.readouterr().err
    assert "KIT_TRUST_NEW=1" in err and "pin the checksum" in err and "datasets/manifest/local.yaml" in err
    assert "若信任首次下载" in err
    assert not (tmp_path / "cache" / "local" / "data.bin").exists()


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_opt_in_downloads_prints_and_records_the_hash(unpinned, tmp_path, capsys, monkeypatch, how):
    if how == "environment":
        monkeypatch.setenv("KIT_TRUST_NEW", "1")
    got = fetch.download("local", offline=False, trust_new=True if how == "argument" else None)
    digest = hashlib.sha256(unpinned.read_bytes()).hexdigest()
    assert got == tmp_path / "cache" / "local" / "data.bin" and got.read_bytes() == unpinned.read_bytes()
    assert digest in capsys.readouterr().err
    assert (tmp_path / "cache" / "local" / "data.bin.sha256").read_text().split() == [digest, "data.bin"]


def test_recorded_hash_is_verified_on_later_use(unpinned, tmp_path):
    first = fetch.download("local", offline=False, trust_new=True)
    unpinned.unlink()  # later use needs no opt-in and no network: the recorded hash verifies the cache
    assert fetch.download("local", offline=False) == first
    first.write_bytes(b"tampered")  # a changed cached file fails against the recorded hash, never silently
    unpinned.write_bytes(b"a different upstream file")
    with pytest.raises(fetch.ChecksumError, match="checksum mismatch"):
        fetch.download("local", offline=False, trust_new=True)
    assert not first.exists()


def test_generated_sms_set_is_deterministic_and_about_13_percent_spam():
    df = sms.generate_sms_spam()
    assert list(df.columns) == ["Label", "Text"] and len(df) >= 1500
    assert 0.11 <= (df["Label"] == "spam").mean() <= 0.15
    assert df.equals(sms.generate_sms_spam()) and not df.equals(sms.generate_sms_spam(seed=1))
    assert df["Text"].str.len().min() > 0 and df["Text"].nunique() > 0.8 * len(df)


def test_sms_loader_falls_back_offline(capsys):
    df = sms.load_sms_spam(offline=True)
    assert df.equals(sms.generate_sms_spam())
    assert "SMS" in capsys.readouterr().err


def test_tiny_gpt_matches_ch07_gpt_model():
    """The kit's GPTModel is ch07's architecture: same state-dict names, same logits."""
    sys.path.insert(0, str(SOLUTIONS))
    from ch07_gpt.gpt import GPTModel as Ch07GPT

    cfg = dict(tinygpt.TINY_GPT_CONFIG, vocab_size=97, context_length=16, drop_rate=0.0)
    torch.manual_seed(0)
    kit = tinygpt.GPTModel(cfg).eval()
    ours = Ch07GPT(cfg).eval()
    assert list(kit.state_dict()) == list(ours.state_dict())
    ours.load_state_dict(kit.state_dict())
    idx = torch.randint(0, 97, (2, 16))
    torch.testing.assert_close(kit(idx), ours(idx), atol=1e-5, rtol=1e-5)


def test_pretrained_tiny_gpt_is_cached_world_readable_and_reused(monkeypatch):
    path = tinygpt.pretrained_tiny_gpt()  # the kit's cache (made by `python -m kitdata` or here, once)
    assert path.stat().st_mode & stat.S_IROTH
    monkeypatch.setattr(tinygpt, "_pretrain", lambda *a: pytest.fail("pretrained again despite the cache"))
    assert tinygpt.pretrained_tiny_gpt() == path
    model = tinygpt.load_pretrained_tiny_gpt()
    assert not model.training and model.out_head.out_features == 50257


def test_pretrained_tiny_gpt_unwritable_cache_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_CACHE_DIR", str(tmp_path))
    (tmp_path / "tiny-gpt").write_text("not a folder")  # the weights' folder cannot be made (as on a read-only cache)
    with pytest.raises(tinygpt.TinyGPTUnavailable, match="python -m kitdata"):
        tinygpt.pretrained_tiny_gpt()
