"""Trader ids are keyed hashes: stable per key, unguessable without it."""

from __future__ import annotations

import hashlib

import pytest

from builder.load import open_package
from builder.pseudonym import MissingKeyError, key_from_environment, pseudonymise
from tests.conftest import REAL_PACKAGE

KEY = b"a-test-key-that-is-long-enough"


def test_the_same_account_gets_the_same_id_whatever_its_width_or_case():
    assert pseudonymise("IvoryShop88", KEY) == pseudonymise(" ｉｖｏｒｙｓｈｏｐ８８ ", KEY)


def test_another_key_gives_another_id():
    assert pseudonymise("ivoryshop88", KEY) != pseudonymise("ivoryshop88", KEY + b"2")


def test_the_id_is_not_a_plain_hash_of_the_account():
    plain = hashlib.sha256(b"ivoryshop88").hexdigest()[:12]
    assert pseudonymise("ivoryshop88", KEY, "tr_") != "tr_" + plain


def test_a_short_key_is_refused():
    with pytest.raises(MissingKeyError):
        pseudonymise("ivoryshop88", b"short")


def test_a_missing_key_is_refused_with_the_variable_named(monkeypatch):
    monkeypatch.delenv("DM_TEST_KEY", raising=False)
    with pytest.raises(MissingKeyError, match="DM_TEST_KEY is not set"):
        key_from_environment("DM_TEST_KEY")


def test_package_trader_ids_have_the_pseudonym_format():
    traders = open_package(REAL_PACKAGE).table("traders")
    assert traders["trader_id"].str.fullmatch(r"tr_[0-9a-f]{12}").all()
    assert list(traders.columns) == ["trader_id", "category"]
