"""Dataset manifests, the cache folder, and checksum-verified downloads (offline-first).

Every dataset the kit uses has one manifest, ``datasets/manifest/<name>.yaml``: where a connected
user downloads it (the URL the handout or torchvision uses), its sha256, size, licence, and the
*offline source* the kit falls back to when there is no network (a copy a Python package ships, or
data the kit generates). This module is the one place that touches the network:

* :func:`manifest` reads a manifest;
* :func:`cache_dir` is where downloads and generated data go (``$KIT_CACHE_DIR``, default
  ``~/.cache/ai-course-kit``);
* :func:`datasets_dir` is the kit's ``datasets/`` folder (``$KIT_DATASETS_DIR``);
* :func:`download` fetches a manifest's file(s) into the cache and verifies the sha256. Offline
  (``offline=True``, or ``$KIT_OFFLINE=1``) or unreachable, it prints a short bilingual message and
  returns ``None``, so the caller falls back to the offline source.

Trust on first use: a file whose manifest has ``sha256: null`` is downloaded only with an explicit
opt-in (``trust_new=True``, or ``$KIT_TRUST_NEW=1``); its sha256 is then printed and recorded beside
the cached file (``<filename>.sha256``) and verified on every later use, exactly like a pinned one.
Without the opt-in, the message says how to opt in or pin the checksum in the manifest.

Manifest layout (YAML)::

    name: mnist
    title: MNIST handwritten digits
    license: ...
    # one file ...
    url: https://...            # or `urls: [mirror, mirror, ...]`
    filename: file.tar.gz       # default: the URL's last path segment
    sha256: <64 hex digits>     # `null` when unknown (downloaded only on trust-on-first-use opt-in)
    size: 170498071             # bytes
    # ... or several files (download() then returns the folder holding them)
    files:
      - {filename: ..., url: ..., sha256: ..., size: ...}
    subdir: MNIST/raw           # where the files go, relative to cache_dir() (default: <name>)
    offline: {kind: package-copy | generated | bundled, ...}
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Optional

__all__ = ["manifest", "cache_dir", "datasets_dir", "download", "sha256_of", "is_offline", "trusts_new", "say",
           "ChecksumError", "DEFAULT_TIMEOUT", "build_folder"]

DEFAULT_TIMEOUT = 5.0  # seconds to wait for the first byte when probing the network
_CHUNK = 1 << 20


class ChecksumError(RuntimeError):
    """A downloaded file whose sha256 is not the manifest's."""


def say(zh: str, en: str) -> None:
    """Print a bilingual message to stderr (the kit's data messages are always in both languages)."""
    print(f"[kitdata] {zh}\n[kitdata] {en}", file=sys.stderr, flush=True)


def datasets_dir() -> Path:
    """The kit's ``datasets/`` folder: ``$KIT_DATASETS_DIR``, else ``<folder holding kitdata>/../datasets``."""
    env = os.environ.get("KIT_DATASETS_DIR")
    if env:
        return Path(env).expanduser().resolve()
    return Path(__file__).resolve().parent.parent.parent / "datasets"


def cache_dir() -> Path:
    """Where downloads and generated data live: ``$KIT_CACHE_DIR``, else ``~/.cache/ai-course-kit`` (created)."""
    env = os.environ.get("KIT_CACHE_DIR")
    path = Path(env).expanduser() if env else Path.home() / ".cache" / "ai-course-kit"
    path.mkdir(parents=True, exist_ok=True)
    return path.resolve()


def manifest(name: str) -> dict:
    """The manifest ``datasets/manifest/<name>.yaml`` as a dict (``KeyError`` naming the file if absent)."""
    import yaml

    path = datasets_dir() / "manifest" / f"{name}.yaml"
    if not path.is_file():
        raise KeyError(f"no manifest for dataset {name!r} (looked for {path})")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("name") != name:
        raise ValueError(f"{path}: a manifest must be a mapping whose `name` is {name!r}")
    return data


def is_offline(offline: Optional[bool] = None) -> bool:
    """``offline`` if given, else ``$KIT_OFFLINE`` is set to 1/true/yes."""
    if offline is not None:
        return bool(offline)
    return os.environ.get("KIT_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def trusts_new(trust_new: Optional[bool] = None) -> bool:
    """``trust_new`` if given, else ``$KIT_TRUST_NEW`` is set to 1/true/yes (trust on first use)."""
    if trust_new is not None:
        return bool(trust_new)
    return os.environ.get("KIT_TRUST_NEW", "").strip().lower() in ("1", "true", "yes", "on")


def sha256_of(path: Path) -> str:
    """The sha256 hex digest of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _entries(meta: dict) -> list[dict]:
    """The manifest's files as ``[{filename, urls, sha256, size}]``."""
    raw = meta.get("files") or [meta]
    out = []
    for entry in raw:
        urls = list(entry.get("urls") or ([entry["url"]] if entry.get("url") else []))
        if not urls:
            raise ValueError(f"manifest {meta.get('name')!r}: a file entry has no url")
        filename = entry.get("filename") or urls[0].rstrip("/").rsplit("/", 1)[-1]
        out.append({"filename": filename, "urls": urls, "sha256": entry.get("sha256"), "size": entry.get("size")})
    return out


def _fetch(url: str, dest: Path, timeout: float) -> None:
    """Download ``url`` to ``dest`` through a temporary file in the same folder (atomic rename)."""
    request = urllib.request.Request(url, headers={"User-Agent": "ai-course-kit/1.0"})
    fd, tmp = tempfile.mkstemp(prefix=dest.name + ".", suffix=".part", dir=dest.parent)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(response, out, _CHUNK)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _verified(path: Path, sha256: Optional[str]) -> bool:
    return path.is_file() and sha256 is not None and sha256_of(path) == sha256.lower()


def _recorded(dest: Path) -> Path:
    """Where a trusted-on-first-use file's sha256 is kept: ``<file>.sha256`` (``sha256sum`` format)."""
    return dest.with_name(dest.name + ".sha256")


def _expected(entry: dict, dest: Path) -> Optional[str]:
    """The manifest's sha256, else the one recorded on first use beside the cached file, else ``None``."""
    if entry["sha256"]:
        return entry["sha256"].lower()
    recorded = _recorded(dest)
    return recorded.read_text(encoding="utf-8").split()[0].lower() if recorded.is_file() else None


def download(name: str, offline: Optional[bool] = None, timeout: float = DEFAULT_TIMEOUT,
             trust_new: Optional[bool] = None) -> Optional[Path]:
    """Download dataset ``name`` (its manifest's file or files) into the cache; verify the sha256.

    Returns the file's path (or, for a manifest with ``files:``, the folder holding them). A file
    already in the cache with the right checksum is not downloaded again. Offline mode is strict (it
    never returns a cached download, so offline runs are the same on every machine): it returns
    ``None`` — after
    printing a short bilingual message — when offline (``offline=True`` or ``$KIT_OFFLINE=1``;
    ``offline=None`` tries the network with a short ``timeout``) or when every URL is unreachable,
    so the caller can fall back to the manifest's offline source. A download whose checksum does
    not match raises :class:`ChecksumError` (the bad file is deleted): that is never silent.
    A file without a pinned sha256 needs ``trust_new`` (or ``$KIT_TRUST_NEW=1``) the first time; see
    the module docstring (trust on first use).
    """
    meta = manifest(name)
    entries = _entries(meta)
    folder = cache_dir() / str(meta.get("subdir") or name)
    result = folder if meta.get("files") else folder / entries[0]["filename"]
    offline_text = _offline_text(meta)
    if is_offline(offline):
        why = "KIT_OFFLINE=1" if offline is None else "offline=True"
        say(f"离线模式（{why}）：不使用网络下载 {name}，改用离线数据源：{offline_text['zh']}。",
            f"offline mode ({why}): not downloading {name}; using the offline source: {offline_text['en']}.")
        return None
    if all(_verified(folder / e["filename"], _expected(e, folder / e["filename"])) for e in entries):
        return result
    folder.mkdir(parents=True, exist_ok=True)
    for entry in entries:
        dest = folder / entry["filename"]
        expected = _expected(entry, dest)
        if _verified(dest, expected):
            continue
        if expected is None and not trusts_new(trust_new):
            say(f"{name} 的清单里没有 {entry['filename']} 的 sha256，拒绝下载未校验的文件；改用离线数据源：{offline_text['zh']}。"
                f"若信任首次下载，请设置 KIT_TRUST_NEW=1（或传入 trust_new=True / --trust-new）；"
                f"或把校验和写进 datasets/manifest/{name}.yaml 的 sha256 字段。",
                f"the manifest of {name} has no sha256 for {entry['filename']}: refusing an unverified download; "
                f"using the offline source: {offline_text['en']}. To trust the first download, set KIT_TRUST_NEW=1 "
                f"(or pass trust_new=True / --trust-new); or pin the checksum as sha256 in datasets/manifest/{name}.yaml.")
            return None
        errors = []
        for url in entry["urls"]:
            try:
                _fetch(url, dest, timeout)
            except (urllib.error.URLError, OSError, ValueError) as exc:  # unreachable, DNS, timeout, HTTP error
                errors.append(f"{url}: {getattr(exc, 'reason', exc)}")
                continue
            got = sha256_of(dest)
            if expected is None:
                _recorded(dest).write_text(f"{got}  {entry['filename']}\n", encoding="utf-8")
                say(f"首次使用即信任（KIT_TRUST_NEW）：{entry['filename']} 的 sha256 = {got}，已记录在 {_recorded(dest)}，"
                    f"以后每次使用都会校验；要固定它，请写进 datasets/manifest/{name}.yaml。",
                    f"trusted on first use (KIT_TRUST_NEW): sha256 of {entry['filename']} = {got}, recorded in "
                    f"{_recorded(dest)} and verified on every later use; to pin it, put it in datasets/manifest/{name}.yaml.")
                break
            if got != expected:
                dest.unlink(missing_ok=True)
                raise ChecksumError(
                    f"[kitdata] {entry['filename']} 校验失败（sha256 {got}，应为 {expected}），文件已删除；"
                    f"请检查网络或代理后重试。\n"
                    f"[kitdata] checksum mismatch for {entry['filename']} from {url}: sha256 {got}, expected "
                    f"{expected}; the file was deleted. Check your network/proxy and try again."
                )
            break
        else:
            say(f"无法下载 {name}（网络不可用）：{'; '.join(errors)}。改用离线数据源：{offline_text['zh']}。",
                f"could not download {name} (no network): {'; '.join(errors)}. Using the offline source: {offline_text['en']}.")
            return None
    return result


def _offline_text(meta: dict) -> dict[str, str]:
    """How the manifest describes its offline source, in both languages."""
    offline: Any = meta.get("offline") or {}
    if isinstance(offline, dict):
        desc = offline.get("description") or {}
        if isinstance(desc, dict) and desc:
            return {"zh": str(desc.get("zh") or desc.get("en")), "en": str(desc.get("en") or desc.get("zh"))}
        if isinstance(desc, str):
            return {"zh": desc, "en": desc}
        return {"zh": str(offline.get("kind", "无")), "en": str(offline.get("kind", "none"))}
    return {"zh": str(offline), "en": str(offline)}


def build_folder(target: Path, build, what: tuple[str, str]) -> Path:
    """Create folder ``target`` (unless it exists) by ``build(tmp)`` in a temporary sibling and an atomic rename;
    ``what`` is the bilingual message printed first. Safe when several processes race."""
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    say(*what)
    tmp = Path(tempfile.mkdtemp(prefix=".gen-", dir=target.parent))
    try:
        build(tmp)
        for path in [tmp, *tmp.rglob("*")]:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)  # graders read it as another user
        try:
            os.rename(tmp, target)
        except OSError:  # another process finished first
            if not target.exists():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target
