"""Encryption at rest: one MultiFernet for the app; the first key encrypts, every key decrypts."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

from praclox.config import read_or_create_secret

log = logging.getLogger(__name__)

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


def init_app(app: Flask) -> None:
    raw = app.config.get("ENCRYPTION_KEYS")
    if isinstance(raw, list | tuple):
        raw = ",".join(raw)
    if not raw:
        path = Path(app.instance_path) / "encryption_keys"
        existed = path.exists()
        raw = read_or_create_secret(path, lambda: Fernet.generate_key().decode())
        if not existed:
            log.warning(
                "no PRACLOX_ENCRYPTION_KEYS set: generated a key into instance/encryption_keys; "
                "back it up, without it encrypted data cannot be read"
            )
    fernets = parse_keys(raw)
    app.extensions[EXTENSION_KEY] = MultiFernet(fernets)
    app.extensions[EXTENSION_KEY + "_primary"] = fernets[0]
    app.extensions[EXTENSION_KEY + "_secrets"] = [base64.urlsafe_b64decode(k.strip()) for k in raw.split(",")
                                                  if k.strip()]


def fernet() -> MultiFernet:
    return current_app.extensions[EXTENSION_KEY]


def derived_keys(purpose: bytes) -> list[bytes]:
    """Per configured key, newest first, a key for one other use (a keyed hash, never encryption): the
    HMAC-SHA256 of ``purpose`` under that key's secret. Rotating the keys moves every derived key with them."""
    return [hmac.new(secret, purpose, hashlib.sha256).digest()
            for secret in current_app.extensions[EXTENSION_KEY + "_secrets"]]


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
