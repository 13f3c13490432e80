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
   folder under the name tiktoken looks for (the sha1 of the blob URL);
4. rebuilds, from those ranks, the two files tiktoken's ``"gpt2"`` encoding reads (``vocab.bpe`` and
   ``encoder.json``, byte for byte: their sha256 must equal tiktoken's pins) and caches them the same
   way, so ``tiktoken.get_encoding("gpt2")`` — the book's call — works offline too.

The cache folder is ``$TIKTOKEN_CACHE_DIR`` when set, else ``<kit>/.cache/tiktoken`` (the kit's
Makefile, tests and grader set ``TIKTOKEN_CACHE_DIR`` to that folder).

    python scripts/fetch_gpt2_bpe.py            # make setup runs this
    python scripts/fetch_gpt2_bpe.py --check    # exit 1 when the file is missing or wrong
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import json
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
# tiktoken's "gpt2" encoding (tiktoken_ext/openai_public.py: gpt2()): the two files and their pinned sha256.
GPT2_FILES = {
    "vocab.bpe": ("https://openaipublic.blob.core.windows.net/gpt-2/encodings/main/vocab.bpe",
                  "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5"),
    "encoder.json": ("https://openaipublic.blob.core.windows.net/gpt-2/encodings/main/encoder.json",
                     "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783"),
}
PACKAGE = "openai-whisper==20250625"
MEMBER_SUFFIX = "/whisper/assets/gpt2.tiktoken"


def cache_dir() -> Path:
    """``$TIKTOKEN_CACHE_DIR`` or ``<kit>/.cache/tiktoken``."""
    env = os.environ.get("TIKTOKEN_CACHE_DIR")
    return Path(env).expanduser() if env else REPO / ".cache" / "tiktoken"


def cache_path(url: str = BLOB_URL) -> Path:
    """Where tiktoken's ``read_file_cached`` looks for ``url``: ``<cache dir>/<sha1 of the URL>``."""
    return cache_dir() / hashlib.sha1(url.encode()).hexdigest()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _say(zh: str, en: str) -> None:
    print(f"[gpt2-bpe] {zh}\n[gpt2-bpe] {en}", flush=True)


def _cached_ok(url: str, sha256: str) -> bool:
    path = cache_path(url)
    return path.is_file() and _sha256(path.read_bytes()) == sha256


def is_installed() -> bool:
    return _cached_ok(BLOB_URL, SHA256) and all(_cached_ok(url, sha) for url, sha in GPT2_FILES.values())


def _byte_alphabet() -> dict[int, str]:
    """GPT-2's printable stand-in for every byte (``bytes_to_unicode`` in OpenAI's encoder.py)."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    others = [b for b in range(256) if b not in printable]
    return {**{b: chr(b) for b in printable}, **{b: chr(256 + n) for n, b in enumerate(others)}}


def gpt2_files(ranks_file: bytes) -> dict[str, bytes]:
    """``vocab.bpe`` and ``encoder.json`` rebuilt from r50k_base's ranks (``<base64 token> <rank>`` lines).

    ``vocab.bpe``: ``#version: 0.2``, then for every rank >= 256 in order the merge that made the token —
    the two parts left by byte-pair merging its bytes with lower ranks only — in GPT-2's printable
    alphabet, one per line, with a final newline. ``encoder.json``: ``json.dumps`` of ``{token: rank}``
    in rank order plus ``"<|endoftext|>": 50256``.
    """
    ranks = {}
    for line in ranks_file.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    alphabet = _byte_alphabet()
    show = lambda token: "".join(alphabet[b] for b in token)  # noqa: E731
    merges = ["#version: 0.2"]
    for token, rank in sorted(ranks.items(), key=lambda item: item[1]):
        if rank < 256:
            continue
        parts = [bytes([b]) for b in token]
        while len(parts) > 2:
            pairs = [(ranks.get(parts[i] + parts[i + 1], rank), i) for i in range(len(parts) - 1)]
            best, i = min(pairs)
            if best >= rank:
                raise ValueError(f"rank {rank}: no lower-ranked merge for {token!r}")
            parts[i:i + 2] = [parts[i] + parts[i + 1]]
        merges.append(f"{show(parts[0])} {show(parts[1])}")
    encoder = {show(token): rank for token, rank in sorted(ranks.items(), key=lambda item: item[1])}
    encoder["<|endoftext|>"] = 50256
    return {"vocab.bpe": ("\n".join(merges) + "\n").encode(), "encoder.json": json.dumps(encoder).encode()}


def install_gpt2_files() -> None:
    """Rebuild and cache tiktoken's "gpt2" files from the cached ranks (each checked against tiktoken's pin)."""
    if all(_cached_ok(url, sha) for url, sha in GPT2_FILES.values()):
        return
    built = gpt2_files(cache_path().read_bytes())
    for name, (_url, sha) in GPT2_FILES.items():
        got = _sha256(built[name])
        if got != sha:
            raise SystemExit(f"[gpt2-bpe] {name}: sha256 不符 / sha256 mismatch: got {got}, expected {sha}; nothing written")
    for name, (url, _) in GPT2_FILES.items():
        _write(built[name], cache_path(url))


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


def _write(data: bytes, dest: Optional[Path] = None) -> Path:
    dest = dest or cache_path()
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=dest.name + ".", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; the grading sandbox reads it as another user
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest


def fetch(source: Optional[Path] = None) -> Path:
    """Install the ranks (from ``source`` or PyPI) and the "gpt2" files unless already there; return the ranks' path."""
    if not _cached_ok(BLOB_URL, SHA256):
        _fetch_ranks(source)
    install_gpt2_files()
    return cache_path()


def _fetch_ranks(source: Optional[Path]) -> Path:
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
