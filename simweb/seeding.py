"""Seeded randomness shared by the world builder, the families and the fault layer.

Every random choice of the simulated web comes from a stream keyed by (seed, key…) so that the same
arguments give the same world in any process, whatever PYTHONHASHSEED is.
"""

from __future__ import annotations

import hashlib
import random


def seeded_rng(seed: int, *key: object) -> random.Random:
    # str seeds are hashed with SHA-512 by `random`, independent of PYTHONHASHSEED.
    return random.Random("/".join(map(str, (seed, *key))))


def stable_hash(*key: object) -> int:
    """A 64-bit hash of `key` that is the same in every process (unlike hash())."""
    digest = hashlib.blake2b("/".join(map(str, key)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")
