"""Editors' password: scrypt hash format, verification, configuration, throttling, CLI helper."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from mag_data.editing import auth
from mag_data.editing.auth import Throttle, attempt, configured_hash, hash_password, parse_hash

ROOT = Path(__file__).resolve().parents[3]
# Cheap parameters keep the tests fast; they must be asked for explicitly.
WEAK = {"n": 16, "r": 1, "p": 1, "allow_weak": True}


def test_the_hash_has_the_documented_format_and_default_cost() -> None:
    """scrypt$n$r$p$salt$key with N=2**15, r=8, p=3, a 16-byte salt and a 32-byte key."""
    stored = hash_password("пароль секретариата")
    kind, n, r, p, salt, key = stored.split("$")
    assert (kind, n, r, p) == ("scrypt", "32768", "8", "3")
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(key)) == 32
    assert auth.verify_password("пароль секретариата", stored)


def test_the_key_is_plain_scrypt_of_the_utf8_password() -> None:
    """Anyone can re-derive the key with hashlib.scrypt from the stored parameters."""
    stored = hash_password("pw", salt=b"s" * 16, **WEAK)
    expected = hashlib.scrypt(b"pw", salt=b"s" * 16, n=16, r=1, p=1, dklen=32)
    assert parse_hash(stored).key == expected


def test_the_salt_is_random() -> None:
    assert hash_password("same", **WEAK) != hash_password("same", **WEAK)


@pytest.mark.parametrize(
    ("password", "ok"),
    [("correct horse", True), ("correct horse ", False), ("Correct horse", False), ("", False)],
)
def test_only_the_exact_password_verifies(password: str, ok: bool) -> None:
    stored = hash_password("correct horse", **WEAK)
    assert auth.verify_password(password, stored) is ok


def test_an_overlong_password_is_refused_without_hashing() -> None:
    stored = hash_password("x", **WEAK)
    assert not auth.verify_password("x" * (auth.MAX_PASSWORD_LENGTH + 1), stored)
    with pytest.raises(ValueError):
        hash_password("x" * (auth.MAX_PASSWORD_LENGTH + 1))


def test_cheap_parameters_need_an_explicit_argument() -> None:
    """A weak hash cannot be made by accident (tests pass allow_weak=True)."""
    with pytest.raises(ValueError, match="allow_weak"):
        hash_password("pw", n=16, r=1, p=1)
    with pytest.raises(ValueError):
        hash_password("pw", n=1000, allow_weak=True)  # not a power of two
    with pytest.raises(ValueError):
        hash_password("")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("bcrypt$16$1$1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5a2V5", id="other-scheme"),
        pytest.param("scrypt$16$1$1$c2FsdHNhbHQ=", id="too-few-fields"),
        pytest.param("scrypt$15$1$1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5", id="n-not-power-of-two"),
        pytest.param("scrypt$4194304$8$1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5", id="n-too-costly"),
        pytest.param("scrypt$16$1$99$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5", id="p-out-of-range"),
        pytest.param("scrypt$16$1$1$not base64!$a2V5a2V5a2V5a2V5a2V5", id="bad-base64"),
        pytest.param("scrypt$16$1$1$c2E=$a2V5a2V5a2V5a2V5a2V5", id="salt-too-short"),
        pytest.param("scrypt$x$1$1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5", id="n-not-a-number"),
    ],
)
def test_a_malformed_configured_hash_is_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        parse_hash(text)
    with pytest.raises(ValueError):
        auth.verify_password("pw", text)


@pytest.mark.parametrize(
    ("secrets", "environ", "expected"),
    [
        ({auth.SECRET_KEY: "from-secrets"}, {auth.ENV_VAR: "from-env"}, "from-secrets"),
        ({auth.SECRET_KEY: None}, {auth.ENV_VAR: " from-env\n"}, "from-env"),
        (None, {auth.ENV_VAR: "from-env"}, "from-env"),
        ({}, {}, None),
        (None, {auth.ENV_VAR: ""}, None),
    ],
    ids=["secret-wins", "env-when-secret-empty", "env-without-secrets", "none", "empty-env"],
)
def test_the_hash_comes_from_secrets_then_environment(secrets, environ, expected) -> None:
    assert configured_hash(secrets, environ) == expected


def test_failed_attempts_wait_exponentially_longer_up_to_a_cap() -> None:
    """1 s, 2 s, 4 s … after each failure, never more than five minutes."""
    throttle, delays = Throttle(), []
    for _ in range(12):
        throttle = throttle.failed(now=1000.0)
        delays.append(throttle.wait_seconds(1000.0))
    assert delays[:5] == [1, 2, 4, 8, 16]
    assert max(delays) == auth.MAX_DELAY_S and delays[-1] == auth.MAX_DELAY_S


def test_an_attempt_during_the_wait_is_refused_without_checking_the_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stored = hash_password("right", **WEAK)
    first = attempt("wrong", stored, Throttle(), now=100.0)
    assert not first.ok and first.throttle.failures == 1 and first.wait_s == 0

    def must_not_hash(password: str, stored: str) -> bool:
        raise AssertionError("verified during the lockout")

    monkeypatch.setattr(auth, "verify_password", must_not_hash)
    early = attempt("right", stored, first.throttle, now=100.5)
    assert not early.ok and early.wait_s == pytest.approx(0.5)
    assert early.throttle == first.throttle
    monkeypatch.undo()
    later = attempt("right", stored, first.throttle, now=101.0)
    assert later.ok and later.throttle == Throttle()


def test_the_helper_prints_a_hash_that_verifies(capsys: pytest.CaptureFixture) -> None:
    assert auth.main(["s3cret"]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed.startswith("scrypt$32768$8$3$") and auth.verify_password("s3cret", printed)


def test_the_helper_runs_as_a_module() -> None:
    """`.venv/bin/python -m mag_data.editing.auth "password"` prints the line to put in the secrets."""
    out = subprocess.run(
        [sys.executable, "-m", "mag_data.editing.auth", "пароль"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    assert auth.verify_password("пароль", out)


# --- named editors, the shared fallback, the process-wide gate ---------------------------------

STRONG = {"n": 2**14, "r": 8, "p": 1}  # the cheapest parameters accepted at run time


@pytest.fixture(scope="module")
def anna_hash() -> str:
    return hash_password("пароль Анны", **STRONG)


@pytest.fixture(scope="module")
def shared_hash() -> str:
    return hash_password("общий", **STRONG)


def test_editors_come_from_the_secrets_and_the_environment(anna_hash: str) -> None:
    secrets = {"editors": {"Анна Петрова": anna_hash, "Boris Ivanov": "s"}, auth.SECRET_KEY: "x"}
    environ = {"MAG_EDITOR_BORIS_IVANOV_HASH": "e", "MAG_EDITOR_OLGA_HASH": "o", "HOME": "/"}
    creds = auth.credentials(secrets, environ)
    assert dict(creds.editors) == {"Анна Петрова": anna_hash, "Boris Ivanov": "s", "Olga": "o"}
    assert creds.shared == "x" and creds.editor("  анна   петрова ") == "Анна Петрова"
    assert auth.credentials(None, {}).enabled is False


def test_the_history_gets_the_configured_name_or_the_typed_one_marked_shared(
    anna_hash: str, shared_hash: str
) -> None:
    gate = auth.Gate()
    creds = auth.Credentials({"Анна Петрова": anna_hash}, shared_hash)
    outcome = auth.sign_in(creds, "анна петрова", "пароль Анны", "10.0.0.1", gate=gate)
    assert outcome.user == "Анна Петрова"
    outcome = auth.sign_in(creds, "Борис", "общий", "10.0.0.1", gate=gate)
    assert outcome.user == "Борис (shared password)"
    # A named editor's name never signs in with the shared password.
    outcome = auth.sign_in(creds, "Анна Петрова", "общий", "10.0.0.2", gate=gate)
    assert outcome.user is None and outcome.wait_s > 0


def test_wrong_passwords_wait_per_address_and_per_editor_across_sessions(anna_hash: str) -> None:
    """The wait is the process's, not the session's: another tab, another address for the
    same editor, or another editor from the same address all wait."""
    gate = auth.Gate()
    creds = auth.Credentials({"Анна": anna_hash, "Борис": anna_hash})
    now = 1000.0
    first = auth.sign_in(creds, "Анна", "угадаю", "10.0.0.1", now=now, gate=gate)
    assert first.user is None and first.wait_s == auth.BASE_DELAY_S
    same_editor = auth.sign_in(creds, "Анна", "пароль Анны", "10.9.9.9", now=now + 0.5, gate=gate)
    same_address = auth.sign_in(creds, "Борис", "пароль Анны", "10.0.0.1", now=now + 0.5, gate=gate)
    assert same_editor.wait_s > 0 and not same_editor.checked
    assert same_address.wait_s > 0 and not same_address.checked
    later = auth.sign_in(creds, "Анна", "пароль Анны", "10.9.9.9", now=now + 2, gate=gate)
    assert later.user == "Анна"


def test_at_most_two_scrypt_checks_run_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    running = []
    peak = []
    lock = threading.Lock()

    def slow_verify(password: str, stored: str) -> bool:
        with lock:
            running.append(1)
            peak.append(len(running))
        time.sleep(0.2)
        with lock:
            running.pop()
        return False

    monkeypatch.setattr(auth, "verify_password", slow_verify)
    gate = auth.Gate()
    results: list[bool | None] = []
    threads = [
        threading.Thread(target=lambda: results.append(gate.check("x", "h", timeout=0.05)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert max(peak) <= auth.MAX_CONCURRENT_CHECKS == 2
    assert None in results  # those that found no free check were told to retry, not queued


@pytest.mark.parametrize(("n", "r"), [(2**10, 8), (2**14, 1), (16, 1)])
def test_a_configured_hash_with_weak_parameters_is_refused(n: int, r: int) -> None:
    weak = hash_password("pw", n=n, r=r, p=1, allow_weak=True)
    assert auth.weakness(weak) == (n, r)
    outcome = auth.sign_in(auth.Credentials({}, weak), "Анна", "pw", "10.0.0.1", gate=auth.Gate())
    assert outcome.user is None and outcome.weak == (n, r) and outcome.shared
    assert auth.weakness(hash_password("pw", **STRONG)) is None


def test_the_client_address_behind_the_proxy_is_the_last_forwarded_hop() -> None:
    assert auth.client_key(None, "1.2.3.4, 203.0.113.9") == "203.0.113.9"
    assert auth.client_key("127.0.0.1", "203.0.113.9") == "203.0.113.9"
    assert auth.client_key("198.51.100.7", "203.0.113.9") == "198.51.100.7"  # not via proxy
    assert auth.client_key(None, None) == "local"
