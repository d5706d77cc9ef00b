import pytest
from django.core.exceptions import ValidationError

from agreements.models import Organisation
from agreements.orgnumbers import is_valid_org_number


def check_digit(first8: str) -> int:
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    remainder = sum(int(d) * w for d, w in zip(first8, weights, strict=True)) % 11
    return 0 if remainder == 0 else 11 - remainder


def test_it_accepts_a_number_with_the_right_check_digit_and_spaces():
    # 12345678: 3+4+21+24+25+24+21+16 = 138, 138 % 11 = 6, check digit 5
    assert check_digit("12345678") == 5
    assert is_valid_org_number("123456785")
    assert is_valid_org_number("123 456 785")


@pytest.mark.parametrize("value", ["123456784", "12345678", "1234567850", "abcdefghi", ""])
def test_it_rejects_wrong_check_digits_and_shapes(value):
    assert not is_valid_org_number(value)


def test_it_rejects_numbers_whose_check_digit_would_be_ten():
    first8 = next(
        f"{n:08d}" for n in range(10_000_000, 10_100_000) if check_digit(f"{n:08d}") == 10
    )
    assert all(not is_valid_org_number(first8 + str(d)) for d in range(10))


@pytest.mark.django_db
def test_it_reports_an_invalid_number_on_a_supplier_in_norwegian():
    supplier = Organisation(code="acme", name="Acme AS", kind="supplier", org_number="123456784")
    with pytest.raises(ValidationError) as caught:
        supplier.full_clean()
    assert "er ikke et gyldig organisasjonsnummer" in str(caught.value)
