"""Small caches of read-only arrays kept between slider moves (the draws around a forecast's centre,
a Monte Carlo batch's start): what they were computed from is kept with them and checked by identity,
so a key's `id()` reused by a new object is never a stale hit."""

from __future__ import annotations

import threading
from collections.abc import Hashable

import numpy as np

# the sessions' script threads read and fill these caches at once
_LOCK = threading.Lock()


def kept_arrays(store: dict, key: Hashable, owner: object) -> tuple[np.ndarray, ...] | None:
    """The arrays kept under `key` when they were computed from `owner` (the very object), else None."""
    with _LOCK:
        hit = store.get(key)
    if hit is None or not _same(hit[0], owner):
        return None
    return hit[1]


def keep_arrays(store: dict, key: Hashable, owner: object, arrays: tuple[np.ndarray, ...], limit: int) -> tuple[np.ndarray, ...]:
    """Keep `arrays` (made read-only: a caller that wrote to one would change every later hit) under
    `key`, dropping the oldest entry beyond `limit`; the arrays."""
    for array in arrays:
        array.setflags(write=False)
    with _LOCK:
        while len(store) >= limit:
            store.pop(next(iter(store)))
        store[key] = (owner, arrays)
    return arrays


def _same(a: object, b: object) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(x is y for x, y in zip(a, b))
    return a is b
