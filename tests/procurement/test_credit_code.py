"""统一社会信用代码 (GB 32100-2015): the check character catches every single typo."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from houqin.procurement.credit_code import (
    ALPHABET,
    check_character,
    credit_code_error,
    validate_credit_code,
)

# Codes of well-known companies as published in their business registration (the check
# character below is the one the standard computes for them).
PUBLISHED = [
    "914403001922038216",  # 华为技术有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91110108558521630L",  # 小米通讯技术有限公司
    "91110000802100433B",  # 北京百度网讯科技有限公司
    "91350100M000100Y43",  # the example code printed in explanations of GB 32100
]


@pytest.mark.parametrize("code", PUBLISHED)
def test_it_accepts_published_codes(code: str) -> None:
    assert check_character(code[:17]) == code[17]
    assert credit_code_error(code) is None
    validate_credit_code(code)


def test_it_accepts_lower_case_and_surrounding_spaces() -> None:
    assert credit_code_error("  91440300708461136t ") is None


@pytest.mark.parametrize("code", PUBLISHED)
def test_it_refuses_every_single_character_typo(code: str) -> None:
    refused = 0
    for position in range(len(code)):
        for replacement in ALPHABET:
            if replacement == code[position]:
                continue
            typo = code[:position] + replacement + code[position + 1 :]
            assert credit_code_error(typo) is not None, typo
            refused += 1
    assert refused == 18 * 30


@pytest.mark.parametrize("code", PUBLISHED)
def test_it_refuses_swapped_neighbours_that_differ(code: str) -> None:
    for position in range(16):
        a, b = code[position], code[position + 1]
        if a == b:
            continue
        swapped = code[:position] + b + a + code[position + 2 :]
        assert credit_code_error(swapped) is not None, swapped


def test_it_names_the_length() -> None:
    message = credit_code_error("91440300708461136")
    assert message is not None
    assert "18 characters" in message and "17" in message
    assert "19" in (credit_code_error("91440300708461136TT") or "")
    assert "0" in (credit_code_error("") or "")


def test_it_names_the_forbidden_characters() -> None:
    for bad in "IOSVZ-*中":
        code = "9144030070846113" + bad + "T"
        message = credit_code_error(code)
        assert message is not None
        assert bad in message, (bad, message)


def test_it_says_the_check_character_is_wrong() -> None:
    message = credit_code_error("91440300708461136U")
    assert message is not None and "check character" in message


def test_the_validator_raises_with_the_message() -> None:
    with pytest.raises(ValidationError) as info:
        validate_credit_code("91440300708461136U")
    assert "check character" in info.value.messages[0]
