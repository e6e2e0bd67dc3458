"""Editors' sign-in: one password, stored only as a slow salted scrypt hash.

Hash format: ``scrypt$<n>$<r>$<p>$<salt, base64>$<key, base64>`` (standard base64, 16-byte salt,
32-byte key). Default cost N=2**15, r=8, p=3: 32 MiB of memory and about 0.3 s per attempt on
one core, one of OWASP's recommended scrypt settings. Cheaper settings (tests only) need the
explicit ``allow_weak=True``.

The hash is read from ``st.secrets["mag_admin_password_hash"]`` or the environment variable
``MAG_ADMIN_PASSWORD_HASH`` (the app passes both in; this module never imports Streamlit). Without
a hash, editing is off. Create one with::

    .venv/bin/python -m mag_data.editing.auth            # asks twice, nothing in shell history
    .venv/bin/python -m mag_data.editing.auth "password" # or from the command line
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SECRET_KEY = "mag_admin_password_hash"
ENV_VAR = "MAG_ADMIN_PASSWORD_HASH"
DEFAULT_N, DEFAULT_R, DEFAULT_P = 2**15, 8, 3
MIN_N = 2**14  # below this a hash needs allow_weak=True
MAX_N, MAX_R, MAX_P = 2**20, 32, 16  # a configured hash beyond these is refused (memory/time)
SALT_BYTES = 16
KEY_BYTES = 32
MAX_PASSWORD_LENGTH = 1024
# Failed sign-ins: wait BASE_DELAY_S * 2**(failures - 1) seconds, at most MAX_DELAY_S.
BASE_DELAY_S = 1.0
MAX_DELAY_S = 300.0


@dataclass(frozen=True)
class ScryptHash:
    """A parsed hash: cost parameters, salt and derived key."""

    n: int
    r: int
    p: int
    salt: bytes
    key: bytes


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(password: str, salt: bytes, n: int, r: int, p: int, length: int) -> bytes:
    # scrypt needs about 128 * n * r * p bytes; allow that plus headroom.
    maxmem = 128 * n * r * (p + 1) + 1024 * 1024
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=length
    )


def hash_password(
    password: str,
    *,
    n: int = DEFAULT_N,
    r: int = DEFAULT_R,
    p: int = DEFAULT_P,
    salt: bytes | None = None,
    allow_weak: bool = False,
) -> str:
    """The storable hash of ``password`` (a fresh random salt unless one is given)."""
    if not password:
        raise ValueError("the password is empty")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValueError("the password is too long")
    if n < 2 or n & (n - 1):
        raise ValueError("n must be a power of two")
    if n < MIN_N and not allow_weak:
        raise ValueError(f"n={n} is too cheap; pass allow_weak=True only in tests")
    if not (1 <= r <= MAX_R and 1 <= p <= MAX_P and n <= MAX_N):
        raise ValueError("scrypt parameters out of range")
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    key = _derive(password, salt, n, r, p, KEY_BYTES)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(key)}"


def parse_hash(text: str) -> ScryptHash:
    """Parse a stored hash; ValueError if it is not ``scrypt$n$r$p$salt$key`` within bounds."""
    parts = text.strip().split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        raise ValueError("not a scrypt$n$r$p$salt$hash string")
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt = base64.b64decode(parts[4], validate=True)
        key = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error) as exc:
        raise ValueError("malformed scrypt hash") from exc
    if n < 2 or n & (n - 1) or n > MAX_N or not (1 <= r <= MAX_R) or not (1 <= p <= MAX_P):
        raise ValueError("scrypt parameters out of range")
    if len(salt) < 8 or len(key) < 16:
        raise ValueError("salt or key too short")
    return ScryptHash(n, r, p, salt, key)


def verify_password(password: str, stored: str) -> bool:
    """True if ``password`` matches the stored hash (constant-time comparison)."""
    parsed = parse_hash(stored)
    if not password or len(password) > MAX_PASSWORD_LENGTH:
        return False
    key = _derive(password, parsed.salt, parsed.n, parsed.r, parsed.p, len(parsed.key))
    return hmac.compare_digest(key, parsed.key)


def configured_hash(secrets: Mapping[str, Any] | None, environ: Mapping[str, str]) -> str | None:
    """The configured hash: the secret first, then the environment variable; None if neither."""
    value = None
    if secrets is not None:
        value = secrets.get(SECRET_KEY)
    if not value:
        value = environ.get(ENV_VAR)
    return str(value).strip() if value else None


@dataclass(frozen=True)
class Throttle:
    """Failed sign-ins of one session: after each failure the next attempt must wait longer."""

    failures: int = 0
    locked_until: float = 0.0

    def wait_seconds(self, now: float) -> float:
        """Seconds before the next attempt is allowed (0 when allowed now)."""
        return max(0.0, self.locked_until - now)

    def failed(self, now: float) -> Throttle:
        failures = self.failures + 1
        delay = min(BASE_DELAY_S * 2 ** (failures - 1), MAX_DELAY_S)
        return Throttle(failures=failures, locked_until=now + delay)


@dataclass(frozen=True)
class SignIn:
    """The outcome of one sign-in attempt."""

    ok: bool
    throttle: Throttle
    wait_s: float = 0.0  # > 0: refused without checking, because of earlier failures


def attempt(password: str, stored: str, throttle: Throttle, now: float) -> SignIn:
    """Check a password unless the session must still wait; update the throttle."""
    wait = throttle.wait_seconds(now)
    if wait > 0:
        return SignIn(ok=False, throttle=throttle, wait_s=wait)
    if verify_password(password, stored):
        return SignIn(ok=True, throttle=Throttle())
    return SignIn(ok=False, throttle=throttle.failed(now))


def main(argv: list[str] | None = None) -> int:
    """Print the hash of a password given as the argument or typed twice at the prompt."""
    import getpass

    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    if args:
        password = args[0]
    else:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Again: "):
            print("The two passwords differ.", file=sys.stderr)
            return 1
    try:
        print(hash_password(password))
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
