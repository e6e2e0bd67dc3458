"""Editors' sign-in: one password per editor (or a shared one), stored only as slow scrypt hashes.

Hash format: ``scrypt$<n>$<r>$<p>$<salt, base64>$<key, base64>`` (standard base64, 16-byte salt,
32-byte key). Default cost N=2**15, r=8, p=3: 32 MiB of memory and about 0.3 s per attempt on
one core, one of OWASP's recommended scrypt settings. Cheaper settings (tests only) need the
explicit ``allow_weak=True``.

Named editors: ``[editors]`` in the secrets (``Анна Петрова = "scrypt$..."``, the name as it is
recorded in the history) or ``MAG_EDITOR_<NAME>_HASH`` in the environment (``MAG_EDITOR_ANNA_HASH``
signs in as «Anna»; underscores become spaces). The signed-in editor's configured name is what
the history records. Fallback: one shared password, ``st.secrets["mag_admin_password_hash"]`` or
``MAG_ADMIN_PASSWORD_HASH``; then the history records the typed name with «(shared password)».
The app passes secrets and environment in; this module never imports Streamlit. Without any
hash, editing is off. A configured hash cheaper than n=2**14, r=8 is refused at sign-in.

Wrong passwords are throttled process-wide (``GATE``), per client address and per editor (the
shared password counts as one editor), so a reload or a new tab does not reset the wait; at most
``MAX_CONCURRENT_CHECKS`` scrypt checks run at once, so guessing cannot starve the server.

Create a hash with::

    .venv/bin/python -m mag_data.editing.auth            # asks twice, nothing in shell history
    .venv/bin/python -m mag_data.editing.auth "password" # or from the command line
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import ipaddress
import os
import re
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

SECRET_KEY = "mag_admin_password_hash"
ENV_VAR = "MAG_ADMIN_PASSWORD_HASH"
EDITORS_SECTION = "editors"
EDITOR_ENV = re.compile(r"^MAG_EDITOR_([A-Za-z0-9_]+)_HASH$")
SHARED_SUFFIX = " (shared password)"
SHARED_KEY = "(shared password)"  # the throttle's "editor" for the shared password
DEFAULT_N, DEFAULT_R, DEFAULT_P = 2**15, 8, 3
MIN_N = 2**14  # below this a hash needs allow_weak=True, and a configured one is refused
MIN_R = 8  # a configured hash with a smaller block size is refused
MAX_N, MAX_R, MAX_P = 2**20, 32, 16  # a configured hash beyond these is refused (memory/time)
SALT_BYTES = 16
KEY_BYTES = 32
MAX_PASSWORD_LENGTH = 1024
# Failed sign-ins: wait BASE_DELAY_S * 2**(failures - 1) seconds, at most MAX_DELAY_S.
BASE_DELAY_S = 1.0
MAX_DELAY_S = 300.0
FORGET_S = 3600.0  # failures this long after their wait ended are forgotten
MAX_CONCURRENT_CHECKS = 2  # scrypt checks running at once, process-wide
CHECK_WAIT_S = 5.0  # an attempt waits this long for a free check, then is told to retry
MAX_TRACKED = 10_000  # throttled keys kept in memory


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


def weakness(stored: str) -> tuple[int, int] | None:
    """``(n, r)`` if a configured hash is cheaper than MIN_N / MIN_R (refused), else None."""
    parsed = parse_hash(stored)
    return (parsed.n, parsed.r) if parsed.n < MIN_N or parsed.r < MIN_R else None


def configured_hash(secrets: Mapping[str, Any] | None, environ: Mapping[str, str]) -> str | None:
    """The shared password's hash: the secret first, then the environment; None if neither."""
    value = None
    if secrets is not None:
        value = secrets.get(SECRET_KEY)
    if not value:
        value = environ.get(ENV_VAR)
    return str(value).strip() if value else None


def configured_editors(
    secrets: Mapping[str, Any] | None, environ: Mapping[str, str]
) -> dict[str, str]:
    """Named editors: name -> hash, from ``[editors]`` in the secrets, then the environment's
    ``MAG_EDITOR_<NAME>_HASH`` (a name the secrets give is not replaced)."""
    editors: dict[str, str] = {}
    section = secrets.get(EDITORS_SECTION) if secrets is not None else None
    if isinstance(section, Mapping):
        for name, value in section.items():
            if str(name).strip() and value:
                editors[str(name).strip()] = str(value).strip()
    known = {n.casefold() for n in editors}
    for key, value in sorted(environ.items()):
        match = EDITOR_ENV.match(key)
        if match and value:
            name = match.group(1).replace("_", " ").strip().title()
            if name and name.casefold() not in known:
                editors[name] = value.strip()
                known.add(name.casefold())
    return editors


@dataclass(frozen=True)
class Credentials:
    """Who may sign in: named editors (name -> hash) and the shared fallback hash, if any."""

    editors: Mapping[str, str]
    shared: str | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.editors) or self.shared is not None

    def editor(self, typed: str) -> str | None:
        """The configured name matching a typed one (case and spaces aside), or None."""
        wanted = " ".join(typed.split()).casefold()
        return next((n for n in self.editors if " ".join(n.split()).casefold() == wanted), None)


def credentials(secrets: Mapping[str, Any] | None, environ: Mapping[str, str]) -> Credentials:
    return Credentials(configured_editors(secrets, environ), configured_hash(secrets, environ))


def client_key(ip_address: str | None, forwarded_for: str | None) -> str:
    """The client address to throttle: the direct peer, or, when that is this machine (the
    nginx in front, or Streamlit's None for localhost), the last X-Forwarded-For entry (the one
    the proxy appended; entries before it are whatever the client sent)."""
    local = ip_address is None
    if ip_address is not None:
        with contextlib.suppress(ValueError):
            local = ipaddress.ip_address(ip_address).is_loopback
    if local and forwarded_for:
        last = forwarded_for.split(",")[-1].strip()
        if last:
            return last[:64]
    return ip_address or "local"


@dataclass(frozen=True)
class Throttle:
    """Failed sign-ins of one key (a client address, an editor): each failure doubles the wait."""

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


class Gate:
    """Process-wide sign-in guard: a Throttle per key (``ip:<address>``, ``editor:<name>``)
    shared by every session, and a cap on concurrent scrypt checks."""

    def __init__(self, checks: int = MAX_CONCURRENT_CHECKS):
        self._lock = threading.Lock()
        self._throttles: dict[str, Throttle] = {}
        self._checks = threading.BoundedSemaphore(checks)

    def wait_seconds(self, keys: Sequence[str], now: float) -> float:
        with self._lock:
            return max((self._get(k, now).wait_seconds(now) for k in keys), default=0.0)

    def _get(self, key: str, now: float) -> Throttle:
        throttle = self._throttles.get(key, Throttle())
        if throttle.failures and now - throttle.locked_until > FORGET_S:
            self._throttles.pop(key, None)
            return Throttle()
        return throttle

    def failed(self, keys: Sequence[str], now: float) -> float:
        """Count a failure for each key; the wait before the next attempt."""
        with self._lock:
            for key in keys:
                self._throttles[key] = self._get(key, now).failed(now)
            if len(self._throttles) > MAX_TRACKED:
                oldest = sorted(self._throttles, key=lambda k: self._throttles[k].locked_until)
                for key in oldest[: len(oldest) // 2]:
                    del self._throttles[key]
            return max(self._throttles[k].wait_seconds(now) for k in keys)

    def succeeded(self, keys: Sequence[str]) -> None:
        with self._lock:
            for key in keys:
                self._throttles.pop(key, None)

    def check(self, password: str, stored: str, timeout: float = CHECK_WAIT_S) -> bool | None:
        """verify_password with at most MAX_CONCURRENT_CHECKS at once; None if no check was
        free within ``timeout`` seconds."""
        if not self._checks.acquire(timeout=timeout):
            return None
        try:
            return verify_password(password, stored)
        finally:
            self._checks.release()

    def reset(self) -> None:
        with self._lock:
            self._throttles.clear()


GATE = Gate()


@dataclass(frozen=True)
class Outcome:
    """One sign-in attempt through the gate. ``user``: the name to record (signed in);
    ``wait_s``: refused, wait this long; ``busy``: no check was free; ``weak``: the hash for
    this name is refused as too cheap (``(n, r)``, ``shared`` says whose)."""

    user: str | None = None
    wait_s: float = 0.0
    busy: bool = False
    weak: tuple[int, int] | None = None
    shared: bool = False
    checked: bool = False


def sign_in(
    creds: Credentials,
    typed_name: str,
    password: str,
    client: str,
    now: float | None = None,
    gate: Gate = GATE,
) -> Outcome:
    """Check a sign-in: a named editor's own hash, else the shared password (recorded as the
    typed name with SHARED_SUFFIX). A name that is a named editor never falls back to the
    shared password."""
    now = time.monotonic() if now is None else now
    name = " ".join(typed_name.split())
    editor = creds.editor(name)
    if editor is not None:
        stored, user, who = creds.editors[editor], editor, editor.casefold()
    elif creds.shared is not None:
        stored, user, who = creds.shared, f"{name}{SHARED_SUFFIX}", SHARED_KEY
    else:
        stored, user, who = None, None, name.casefold()
    keys = [f"ip:{client}", f"editor:{who}"]
    wait = gate.wait_seconds(keys, now)
    if wait > 0:
        return Outcome(wait_s=wait)
    if stored is not None:
        weak = weakness(stored)
        if weak is not None:
            return Outcome(weak=weak, shared=editor is None)
        ok = gate.check(password, stored)
        if ok is None:
            return Outcome(busy=True)
        if ok:
            gate.succeeded(keys)
            return Outcome(user=user, checked=True)
    return Outcome(wait_s=gate.failed(keys, now), checked=True)


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
