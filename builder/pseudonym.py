"""Turn real account ids into pseudonymous ids with a secret key.

WeChat ids, phone and QQ numbers come from small spaces: a plain hash of one can be
reversed by hashing every candidate. A keyed hash (HMAC-SHA256) cannot be, as long as the
key stays secret, and still gives the same id for the same account across survey rounds.
The key is read from an environment variable; it never enters the repository.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import unicodedata

DEFAULT_PREFIX = "id_"  # a study chooses its own (this report: tr_ for traders)
ID_HEX_DIGITS = 12  # 48 bits: collisions stay negligible for millions of accounts per key
MINIMUM_KEY_BYTES = 16


FINGERPRINT_LABEL = b"report-builder: fingerprint of the pseudonymisation key, v1"


class MissingKeyError(RuntimeError):
    """The secret key is not available, so no pseudonym can be made."""


class WrongKeyError(MissingKeyError):
    """The key is not the one the package's pseudonyms were made with."""


def normalise_account(account_id: str) -> str:
    """Fold width and case so that one account always gets one pseudonym."""
    return unicodedata.normalize("NFKC", account_id).strip().casefold()


def pseudonymise(account_id: str, key: bytes, prefix: str = DEFAULT_PREFIX) -> str:
    """Return the pseudonymous id of a real account id."""
    if len(key) < MINIMUM_KEY_BYTES:
        raise MissingKeyError(f"the pseudonymisation key must be at least {MINIMUM_KEY_BYTES} bytes long")
    digest = hmac.new(key, normalise_account(account_id).encode("utf-8"), hashlib.sha256).hexdigest()
    return prefix + digest[:ID_HEX_DIGITS]


def key_fingerprint(key: bytes) -> str:
    """What tells one key from another without giving it away: an HMAC of a fixed label.

    Kept in the package, so that an import with another key, which would give every known
    account a second pseudonym, is refused. It cannot be turned back into the key.
    """
    return "hmac-sha256:" + hmac.new(key, FINGERPRINT_LABEL, hashlib.sha256).hexdigest()


def key_from_environment(variable: str) -> bytes:
    """Read the key from an environment variable, refusing clearly when it is not set."""
    value = os.environ.get(variable, "")
    if not value:
        raise MissingKeyError(
            f"the environment variable {variable} is not set; export the project's secret "
            "pseudonymisation key in it (ask the data steward; never commit it)"
        )
    return value.encode("utf-8")
