"""A passphrase-locked age file with a work factor of the test's choosing, for the tests only.

coach locks its identity with pyrage, which calibrates scrypt to about a second on the machine
it runs on (work factor 2^20 here, and 1 GiB of memory; three to four seconds when the machine
is busy). pyrage offers no way to choose a lower factor. Most encryption tests are about what
coach does with a passphrase, not about what it costs, so they lock their identity here with
2^10: the same age v1 format (age-encryption.org/v1, scrypt recipient), opened by the same
pyrage code in coach, in milliseconds. tests/store/test_encryption.py checks that coach's own
lock keeps the calibrated factor, and the CLI tests still lock through coach where locking is
what they test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

FAST_LOG_N = 10
CHUNK = 64 * 1024
_ZERO_NONCE = bytes(12)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _hkdf(key: bytes, salt: bytes, info: bytes) -> bytes:
    """HKDF-SHA-256 with a 32-byte output (one expand block)."""
    prk = hmac.new(salt or bytes(32), key, hashlib.sha256).digest()
    return hmac.new(prk, info + b"\x01", hashlib.sha256).digest()


def _payload(file_key: bytes, plaintext: bytes) -> bytes:
    nonce = os.urandom(16)
    stream = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
    chunks = [plaintext[i : i + CHUNK] for i in range(0, len(plaintext), CHUNK)] or [b""]
    sealed = []
    for counter, chunk in enumerate(chunks):
        last = b"\x01" if counter == len(chunks) - 1 else b"\x00"
        sealed.append(stream.encrypt(counter.to_bytes(11, "big") + last, chunk, None))
    return nonce + b"".join(sealed)


def passphrase_encrypt(plaintext: bytes, passphrase: str, log_n: int = FAST_LOG_N) -> bytes:
    """PLAINTEXT as an age file for PASSPHRASE, with scrypt's work factor 2^LOG_N."""
    file_key = os.urandom(16)
    salt = os.urandom(16)
    wrap_key = hashlib.scrypt(
        passphrase.encode("utf-8"),
        salt=b"age-encryption.org/v1/scrypt" + salt,
        n=2**log_n,
        r=8,
        p=1,
        dklen=32,
    )
    body = ChaCha20Poly1305(wrap_key).encrypt(_ZERO_NONCE, file_key, None)
    header = f"age-encryption.org/v1\n-> scrypt {_b64(salt)} {log_n}\n{_b64(body)}\n---".encode()
    mac = hmac.new(_hkdf(file_key, b"", b"header"), header, hashlib.sha256).digest()
    return header + f" {_b64(mac)}\n".encode() + _payload(file_key, plaintext)


def work_factor(locked: bytes) -> int:
    """The scrypt work factor (log2 N) an age passphrase file was locked with."""
    stanza = locked.split(b"\n")[1].split()
    assert stanza[:2] == [b"->", b"scrypt"], stanza
    return int(stanza[3])
