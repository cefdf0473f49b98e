"""The recovery key: 48 digits in 8 groups of 6, each divisible by 11, and the key they open."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from merlet_desk.domain.recovery_key import (
    WRONG_GROUP,
    WRONG_LENGTH,
    RecoveryKey,
    derive_database_key,
    key_id,
    new_recovery_key,
    parse_recovery_key,
)
from merlet_desk.errors import InputError


def test_a_new_recovery_key_is_48_digits_in_8_groups_each_divisible_by_11():
    recovery = new_recovery_key()
    groups = recovery.text.split("-")
    assert len(groups) == 8
    assert all(len(group) == 6 and group.isdigit() and int(group) % 11 == 0 for group in groups)
    assert new_recovery_key() != recovery  # random, not a constant


@given(st.binary(min_size=16, max_size=16))
def test_the_digits_read_back_to_the_same_key(secret):
    recovery = RecoveryKey(secret)
    assert parse_recovery_key(recovery.text) == recovery
    # As typed: groups with spaces, on two lines, or all 48 digits in one run.
    assert parse_recovery_key(" ".join(recovery.groups)) == recovery
    two_lines = "\n".join(recovery.groups[:4]) + "\n" + "".join(recovery.groups[4:])
    assert parse_recovery_key(two_lines) == recovery
    assert parse_recovery_key("".join(recovery.groups)).database_key == recovery.database_key


@given(st.binary(min_size=16, max_size=16), st.integers(0, 47), st.integers(1, 9))
def test_every_single_mistyped_digit_is_caught_in_its_group(secret, position, change):
    digits = list("".join(RecoveryKey(secret).groups))
    digits[position] = str((int(digits[position]) + change) % 10)
    with pytest.raises(InputError) as caught:
        parse_recovery_key("".join(digits))
    assert WRONG_GROUP in caught.value.codes
    assert f"groep {position // 6 + 1} (" in str(caught.value)


@given(st.binary(min_size=16, max_size=16), st.integers(0, 7), st.integers(0, 4))
def test_two_neighbouring_digits_swapped_are_caught(secret, group, position):
    groups = RecoveryKey(secret).groups
    digits = list(groups[group])
    if digits[position] == digits[position + 1]:
        return  # swapping equal digits changes nothing
    digits[position], digits[position + 1] = digits[position + 1], digits[position]
    groups[group] = "".join(digits)
    with pytest.raises(InputError) as caught:
        parse_recovery_key("-".join(groups))
    assert f"groep {group + 1} ({groups[group]})" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123", "48 cijfers (8 groepen van 6), niet 3"),
        ("000000-" * 7, "niet 42"),
        ("000000-" * 8 + "000000", "niet 54"),
        ("00000O-" + "000000-" * 7, "alleen uit cijfers"),
    ],
)
def test_a_wrong_length_says_how_many_digits_there_were(text, expected):
    with pytest.raises(InputError) as caught:
        parse_recovery_key(text)
    assert expected in str(caught.value)
    assert WRONG_LENGTH in caught.value.codes


def test_a_group_above_65535_times_11_is_refused_although_divisible_by_11():
    groups = ["000000"] * 8
    groups[2] = "999999"  # 90909 * 11: divisible, but no 16-bit value
    with pytest.raises(InputError, match="groep 3"):
        parse_recovery_key("-".join(groups))


def test_the_database_key_is_256_bits_derived_from_the_recovery_key():
    recovery = RecoveryKey(bytes(16))
    key = recovery.database_key
    assert len(key) == 32
    assert key == derive_database_key(bytes(16))  # the same digits give the same key anywhere
    assert RecoveryKey(bytes(15) + b"\x01").database_key != key
    # Fixed: a derivation that changed would lock every register out of its recovery sheets.
    assert key.hex() == "65811d84f10da026a66bff33de3a4d9db1e56d7bc628ac1d08571c491a3eafdc"
    assert key_id(key) == key_id(recovery.database_key)
    assert len(key_id(key)) == 9 and key_id(key)[4] == "-"
