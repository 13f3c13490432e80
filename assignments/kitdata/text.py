"""English text for the LLM chapters: the kit's own corpus, and the book's "the-verdict.txt".

* :func:`load_corpus` — the kit's original prose (``datasets/text/``, see
  ``datasets/manifest/kit-corpus.yaml``): always available, no network, checksums verified;
* :func:`corpus_documents` — the same, one dict per story or essay;
* :func:`load_the_verdict` — the book's text (``datasets/manifest/the-verdict.yaml``): downloaded and
  verified through :mod:`kitdata.fetch` when possible, otherwise (offline, ``KIT_OFFLINE=1``, no
  network, or no pinned checksum) a clear message and the kit's corpus instead.

``python -m kitdata.text`` prints what is available.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Optional

from kitdata import fetch

__all__ = ["corpus_documents", "load_corpus", "load_the_verdict", "CorpusError"]

DOCUMENT_SEPARATOR = "\n\n"


class CorpusError(RuntimeError):
    """A corpus file that is missing or differs from its manifest entry."""


def corpus_documents() -> list[dict]:
    """The kit's documents in manifest order: ``[{"title", "filename", "text"}]`` (sha256-checked)."""
    meta = fetch.manifest("kit-corpus")
    folder = fetch.datasets_dir() / str(meta.get("offline", {}).get("path", "text"))
    docs = []
    for entry in meta["documents"]:
        path = folder / entry["filename"]
        if not path.is_file():
            raise CorpusError(f"[kitdata] 缺少语料文件 / missing corpus file: {path}")
        data = path.read_bytes()
        if entry.get("sha256") and hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise CorpusError(
                f"[kitdata] 语料文件与清单不符（sha256）/ corpus file differs from its manifest (sha256): {path}; "
                "if you edited it on purpose, update datasets/manifest/kit-corpus.yaml"
            )
        docs.append({"title": entry.get("title", path.stem), "filename": entry["filename"], "text": data.decode("utf-8")})
    return docs


def load_corpus(separator: str = DOCUMENT_SEPARATOR) -> str:
    """The kit's whole corpus as one string: the documents joined by ``separator`` (a blank line).

    Pass ``separator="\\n<|endoftext|>\\n"`` to mark document boundaries the way GPT-2 does.
    """
    return separator.join(doc["text"].strip("\n") for doc in corpus_documents())


def load_the_verdict(offline: Optional[bool] = None) -> str:
    """The book's ``the-verdict.txt`` (20,479 characters) when it can be had, else the kit's corpus.

    The real file comes through :func:`kitdata.fetch.download` (cached, sha256-verified). When that
    returns ``None`` — offline, ``KIT_OFFLINE=1``, no network, or no pinned checksum — this prints a
    bilingual note and returns :func:`load_corpus` instead, so every exercise still runs (the numbers
    then differ from the book's: another text gives another vocabulary and other token counts).
    """
    path = fetch.download("the-verdict", offline=offline)
    if path is not None:
        return Path(path).read_text(encoding="utf-8")
    fetch.say("未能获得 the-verdict.txt：改用课程包自带的英文语料（结果中的数字会与书中不同）。",
              "the-verdict.txt is not available: using the kit's own English corpus instead "
              "(the numbers you get will differ from the book's).")
    return load_corpus()


def _main() -> int:
    docs = corpus_documents()
    text = load_corpus()
    print(f"kit corpus: {len(docs)} documents, {len(text):,} characters, {len(text.split()):,} words")
    for doc in docs:
        print(f"  {doc['filename']:<40} {len(doc['text']):>6,} chars  {doc['title']}")
    try:
        from ch05_tokens.tokenizer import gpt2_tokenizer  # noqa: F401 — only when a chapter tree is on the path

        print(f"GPT-2 tokens: {len(gpt2_tokenizer().encode(text)):,}")
    except Exception:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(_main())
