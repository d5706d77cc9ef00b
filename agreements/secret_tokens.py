"""Secret tokens that stand in for a password (API keys, calendar feeds, signing links).

Only the SHA-256 of a token is stored. Each token is 256 random bits, so a fast hash is enough:
nobody can guess their way back from the digest, and a lookup by digest is one indexed query.
"""

import hashlib
import secrets


def new_secret_token(prefix: str = "") -> str:
    """A fresh URL-safe token of 256 random bits, after ``prefix``."""
    return prefix + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """The hex SHA-256 stored in place of ``token``."""
    return hashlib.sha256(token.encode()).hexdigest()
