"""Encryption at rest: one MultiFernet for the app; the first key encrypts, every key decrypts."""

from __future__ import annotations

import base64
import hashlib
import hmac
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

from praclox.instance_files import read_secret

EXTENSION_KEY = "praclox_crypto"


class KeyConfigurationError(RuntimeError):
    """The configured encryption keys cannot be used; the app must not start."""


def parse_keys(raw: str) -> list[Fernet]:
    keys = [part.strip() for part in raw.split(",") if part.strip()]
    if not keys:
        raise KeyConfigurationError("PRACLOX_ENCRYPTION_KEYS is empty")
    fernets = []
    for position, key in enumerate(keys, start=1):
        try:
            fernets.append(Fernet(key.encode()))
        except (ValueError, TypeError) as exc:
            raise KeyConfigurationError(
                f"encryption key #{position} is not a valid Fernet key (32 url-safe base64-encoded bytes)"
            ) from exc
    return fernets


#: the encryption keys' file in the instance folder, when ``PRACLOX_ENCRYPTION_KEYS`` is not set
KEY_FILE = "encryption_keys"
NO_KEYS = ("no encryption keys: set PRACLOX_ENCRYPTION_KEYS, or run `praclox keys init` (`praclox setup` and "
           "`praclox db upgrade` do it too) to make instance/encryption_keys")


def configured_keys(app: Flask) -> str | None:
    """The keys as configured: ``PRACLOX_ENCRYPTION_KEYS``, else the instance folder's file, else None."""
    raw = app.config.get("ENCRYPTION_KEYS")
    if isinstance(raw, list | tuple):
        raw = ",".join(raw)
    return raw or read_secret(Path(app.instance_path) / KEY_FILE)


def init_app(app: Flask) -> None:
    """Load the configured keys; none configured leaves the app without (``fernet()`` then says what to do)."""
    raw = configured_keys(app)
    if raw is not None:
        install(app, raw)


def install(app: Flask, raw: str) -> None:
    """Use these keys (comma-separated, newest first) from now on."""
    fernets = parse_keys(raw)
    app.extensions[EXTENSION_KEY] = MultiFernet(fernets)
    app.extensions[EXTENSION_KEY + "_primary"] = fernets[0]
    app.extensions[EXTENSION_KEY + "_secrets"] = [base64.urlsafe_b64decode(k.strip()) for k in raw.split(",")
                                                  if k.strip()]


def fernet() -> MultiFernet:
    return _loaded()


def primary() -> Fernet:
    """The newest key alone (the one that encrypts)."""
    return _loaded("_primary")


def _loaded(suffix: str = "") -> Any:
    try:
        return current_app.extensions[EXTENSION_KEY + suffix]
    except KeyError:
        raise KeyConfigurationError(NO_KEYS) from None


def derived_keys(purpose: bytes) -> list[bytes]:
    """Per configured key, newest first, a key for one other use (a keyed hash, never encryption): the
    HMAC-SHA256 of ``purpose`` under that key's secret. Rotating the keys moves every derived key with them."""
    return [hmac.new(secret, purpose, hashlib.sha256).digest()
            for secret in _loaded("_secrets")]


def encrypt(plain: bytes) -> bytes:
    return fernet().encrypt(plain)


def decrypt(token: bytes) -> bytes:
    return fernet().decrypt(token)


def encrypt_text(value: str) -> str:
    return encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(value: str) -> str:
    try:
        return decrypt(value.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise KeyConfigurationError("a stored value cannot be decrypted with the configured keys") from exc


class EncryptedText(TypeDecorator[str]):
    """A text column encrypted with the app's MultiFernet; plain text in Python, a token in the database."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else encrypt_text(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else decrypt_text(value)
