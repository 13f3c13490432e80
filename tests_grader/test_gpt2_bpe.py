"""tiktoken's "gpt2" encoding offline: vocab.bpe / encoder.json rebuilt from r50k_base's ranks."""
import hashlib
import importlib.util
import inspect
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("fetch_gpt2_bpe", REPO / "scripts" / "fetch_gpt2_bpe.py")
bpe = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bpe)

pytestmark = pytest.mark.skipif(not bpe.cache_path().is_file(), reason="run `make setup` first (GPT-2 ranks not cached)")


def test_pins_are_tiktokens_own():
    import tiktoken_ext.openai_public as openai_public

    source = inspect.getsource(openai_public.gpt2)
    for url, sha in bpe.GPT2_FILES.values():
        assert f'"{url}"' in source and f'"{sha}"' in source, f"tiktoken does not pin {url} with {sha}"


def test_rebuilt_files_match_the_pins():
    built = bpe.gpt2_files(bpe.cache_path().read_bytes())
    for name, (url, sha) in bpe.GPT2_FILES.items():
        assert hashlib.sha256(built[name]).hexdigest() == sha, name
        assert bpe.cache_path(url).read_bytes() == built[name], f"{name} not installed in tiktoken's cache"


def test_gpt2_and_r50k_base_give_the_same_ids_offline(monkeypatch):
    import tiktoken
    import tiktoken.load

    monkeypatch.setenv("TIKTOKEN_CACHE_DIR", str(bpe.cache_dir()))
    monkeypatch.setattr(tiktoken.load, "read_file", lambda path: pytest.fail(f"network access: {path}"))
    gpt2 = tiktoken.get_encoding("gpt2")
    r50k = tiktoken.get_encoding("r50k_base")
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "datasets" / "text").glob("*.txt")))
    text += " naïve café — 東京 🙂 <|endoftext|>  tabs\tand 1234567"
    assert gpt2.encode(text, allowed_special="all") == r50k.encode(text, allowed_special="all")
    assert gpt2.n_vocab == r50k.n_vocab == 50257 and gpt2.eot_token == 50256
