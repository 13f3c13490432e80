#!/usr/bin/env python3
"""Put GPT-2's BPE ranks where tiktoken finds them, without any network but PyPI.

tiktoken's ``r50k_base`` (GPT-2's encoding: the same ids as ``tiktoken.get_encoding("gpt2")``,
``<|endoftext|>`` = 50256) is normally downloaded from OpenAI's blob store on first use. The
source distribution of ``openai-whisper`` on PyPI ships the very same file
(``whisper/assets/gpt2.tiktoken``, byte-identical, same sha256 as tiktoken pins), so this script

1. returns at once when the cache file is already there with the right sha256 (idempotent);
2. otherwise runs ``pip download --no-deps --no-binary :all: openai-whisper==20250625`` into a
   temporary folder (``--source PATH`` uses an sdist or a ``.tiktoken`` file you already have);
3. extracts only that one file, checks its sha256, and writes it atomically into tiktoken's cache
   folder under the name tiktoken looks for (the sha1 of the blob URL).

The cache folder is ``$TIKTOKEN_CACHE_DIR`` when set, else ``<kit>/.cache/tiktoken`` (the kit's
Makefile, tests and grader set ``TIKTOKEN_CACHE_DIR`` to that folder).

    python scripts/fetch_gpt2_bpe.py            # make setup runs this
    python scripts/fetch_gpt2_bpe.py --check    # exit 1 when the file is missing or wrong
"""
from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parent.parent
BLOB_URL = "https://openaipublic.blob.core.windows.net/encodings/r50k_base.tiktoken"
# tiktoken's own pin for r50k_base (tiktoken_ext/openai_public.py); whisper's gpt2.tiktoken has it too.
SHA256 = "306cd27f03c1a714eca7108e03d66b7dc042abe8c258b44c199a7ed9838dd930"
PACKAGE = "openai-whisper==20250625"
MEMBER_SUFFIX = "/whisper/assets/gpt2.tiktoken"


def cache_dir() -> Path:
    """``$TIKTOKEN_CACHE_DIR`` or ``<kit>/.cache/tiktoken``."""
    env = os.environ.get("TIKTOKEN_CACHE_DIR")
    return Path(env).expanduser() if env else REPO / ".cache" / "tiktoken"


def cache_path() -> Path:
    """Where tiktoken's ``read_file_cached`` looks: ``<cache dir>/<sha1 of the blob URL>``."""
    return cache_dir() / hashlib.sha1(BLOB_URL.encode()).hexdigest()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _say(zh: str, en: str) -> None:
    print(f"[gpt2-bpe] {zh}\n[gpt2-bpe] {en}", flush=True)


def is_installed() -> bool:
    path = cache_path()
    return path.is_file() and _sha256(path.read_bytes()) == SHA256


def _from_sdist(sdist: Path) -> bytes:
    with tarfile.open(sdist, "r:*") as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.endswith(MEMBER_SUFFIX):
                handle = tar.extractfile(member)
                if handle is not None:
                    return handle.read()
    raise FileNotFoundError(f"{sdist.name} holds no {MEMBER_SUFFIX.lstrip('/')}")


def _download_sdist(folder: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
           "--no-binary", ":all:", PACKAGE, "-d", str(folder)]
    _say(f"从 PyPI 下载 {PACKAGE} 的源码包（约 800 KB），只取出其中的 GPT-2 BPE 文件……",
         f"downloading the {PACKAGE} source archive from PyPI (~800 KB) for its GPT-2 BPE file...")
    subprocess.run(cmd, check=True)
    found = sorted(folder.glob("openai_whisper-*.tar.gz")) + sorted(folder.glob("openai-whisper-*.tar.gz"))
    if not found:
        raise FileNotFoundError(f"pip left no openai-whisper sdist in {folder}")
    return found[0]


def _write(data: bytes) -> Path:
    dest = cache_path()
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=dest.name + ".", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; grading sandboxes run under another uid
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest


def fetch(source: Optional[Path] = None) -> Path:
    """Install the file (from ``source`` or PyPI) unless it is already there; return its path."""
    if is_installed():
        return cache_path()
    if source is not None and source.suffix == ".tiktoken":
        data = source.read_bytes()
    elif source is not None:
        data = _from_sdist(source)
    else:
        with tempfile.TemporaryDirectory(prefix="gpt2-bpe-") as tmp:
            data = _from_sdist(_download_sdist(Path(tmp)))
    got = _sha256(data)
    if got != SHA256:
        raise SystemExit(f"[gpt2-bpe] sha256 不符 / sha256 mismatch: got {got}, expected {SHA256}; nothing written")
    return _write(data)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when missing or wrong")
    parser.add_argument("--source", type=Path, default=None, help="a local openai-whisper sdist or gpt2.tiktoken file")
    args = parser.parse_args(argv)
    if args.check:
        ok = is_installed()
        print(f"[gpt2-bpe] {cache_path()}: {'ok' if ok else 'missing or wrong'}")
        return 0 if ok else 1
    already = is_installed()
    path = fetch(args.source)
    if already:
        print(f"[gpt2-bpe] ok (already there): {path}")
    else:
        _say(f"GPT-2 BPE 已就绪（sha256 校验通过）：{path}", f"GPT-2 BPE ready (sha256 verified): {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
