"""Plain data across a trust boundary: JSON plus raw arrays, never pickle.

Allowed values: ``None``, ``bool``, ``int``, ``float``, ``str``, lists, tuples, dicts with string
keys, numpy arrays and torch tensors (numeric or bool dtypes). ``encode`` turns them into one
``bytes`` blob (an ``.npz`` whose ``__json__`` entry describes the structure); ``decode`` reads it
back with ``allow_pickle=False`` and type-checks everything.

Sandbox-side too: the grader copies this file into every sandbox (``_kit_codec.py``), so it imports
only the standard library, numpy and (lazily) torch — never the kit (tests_grader/test_sandbox_side.py).
"""
from __future__ import annotations

import hashlib
import io
import json
import math
from typing import Any

import numpy as np

ARRAY_DTYPES = {"bool", "int8", "int16", "int32", "int64", "uint8", "float16", "float32", "float64"}
MAX_DEPTH = 64


class CodecError(ValueError):
    """A value that is not plain data, or a blob that is not what ``encode`` writes."""


def _is_tensor(obj: Any) -> bool:
    return type(obj).__module__.startswith("torch") and type(obj).__name__ in ("Tensor", "Parameter")


def _pack(obj: Any, arrays: dict[str, np.ndarray], depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise CodecError("nesting too deep")
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, (int, np.integer)) and not isinstance(obj, bool):
        return {"__int__": str(int(obj))}
    if isinstance(obj, (float, np.floating)):
        value = float(obj)
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, (list, tuple)):
        items = [_pack(x, arrays, depth + 1) for x in obj]
        return items if isinstance(obj, list) else {"__tuple__": items}
    if isinstance(obj, dict):
        if not all(isinstance(k, str) for k in obj):
            raise CodecError("dict keys must be strings")
        return {"__dict__": {k: _pack(v, arrays, depth + 1) for k, v in obj.items()}}
    kind = "tensor" if _is_tensor(obj) else "ndarray" if isinstance(obj, np.ndarray) else None
    if kind is None:
        raise CodecError(f"not plain data: {type(obj).__name__}")
    array = obj.detach().cpu().numpy() if kind == "tensor" else obj
    if array.dtype.name not in ARRAY_DTYPES:
        raise CodecError(f"unsupported array dtype {array.dtype}")
    key = f"a{len(arrays)}"
    arrays[key] = np.ascontiguousarray(array).reshape(array.shape)  # keeps 0-d arrays 0-d
    return {f"__{kind}__": key}


def encode(obj: Any) -> bytes:
    """Plain data -> bytes (raises :class:`CodecError` for anything else)."""
    arrays: dict[str, np.ndarray] = {}
    tree = _pack(obj, arrays, 0)
    meta = np.frombuffer(json.dumps(tree).encode(), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, __json__=meta, **arrays)  # type: ignore[arg-type]  # numpy's stub types **kwds as allow_pickle
    return buf.getvalue()


def _unpack(node: Any, arrays: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise CodecError("nesting too deep")
    if node is None or isinstance(node, (bool, str, float)):
        return node
    if isinstance(node, list):
        return [_unpack(x, arrays, depth + 1) for x in node]
    if not isinstance(node, dict) or len(node) != 1:
        raise CodecError("malformed blob")
    (tag, value), = node.items()
    if tag == "__int__" and isinstance(value, str):
        return int(value)
    if tag == "__float__" and value in ("nan", "inf", "-inf"):
        return float(value)
    if tag == "__tuple__" and isinstance(value, list):
        return tuple(_unpack(x, arrays, depth + 1) for x in value)
    if tag == "__dict__" and isinstance(value, dict):
        return {str(k): _unpack(v, arrays, depth + 1) for k, v in value.items()}
    if tag in ("__ndarray__", "__tensor__") and isinstance(value, str) and value in arrays.files:
        array = arrays[value]
        if array.dtype.name not in ARRAY_DTYPES:
            raise CodecError(f"unsupported array dtype {array.dtype}")
        if tag == "__ndarray__":
            return array
        import torch

        return torch.from_numpy(array.copy())
    raise CodecError(f"malformed blob (tag {tag!r})")


def decode(blob: bytes) -> Any:
    """Bytes written by :func:`encode` -> the value, type-checked, without unpickling anything."""
    try:
        arrays = np.load(io.BytesIO(blob), allow_pickle=False)
        tree = json.loads(bytes(arrays["__json__"]).decode())
    except (OSError, ValueError, KeyError, UnicodeDecodeError) as exc:
        raise CodecError(f"unreadable blob: {exc}") from exc
    return _unpack(tree, arrays, 0)


def fingerprint(obj: Any) -> str:
    """A stable sha256 of plain data (same value, same digest, on any machine)."""
    arrays: dict[str, np.ndarray] = {}
    tree = _pack(obj, arrays, 0)
    digest = hashlib.sha256(json.dumps(tree, sort_keys=True).encode())
    for key in sorted(arrays):
        a = arrays[key]
        digest.update(f"{key}:{a.dtype.str}:{a.shape}".encode())
        digest.update(a.tobytes())
    return digest.hexdigest()


def roundtrip(obj: Any) -> Any:
    """``decode(encode(obj))``: what the other side of the boundary would see."""
    return decode(encode(obj))
