"""Phone numbers, read with Odoo's phone_validation in Indonesia (the one normalizer
of the suite: every spelling a customer or a salesperson types goes through it)."""

import functools

from odoo.exceptions import UserError

from odoo.addons.phone_validation.tools.phone_validation import phone_format

# the country a number without its country code is read in
COUNTRY_CODE = "ID"
COUNTRY_PHONE_CODE = 62


def phone_has_letters(number):
    """Phone numbers are digits: phonenumbers would read letters as keypad digits."""
    return any(char.isalpha() for char in number or "")


def phone_normalize(number, force_format="E164"):
    """``number`` in ``force_format`` (phone_validation's: ``E164`` +6281234567890,
    ``INTERNATIONAL`` +62 812-3456-7890), or ``False`` if it is not a valid number.

    0812…, +62812…, 62812… and 812… with spaces, dots or dashes are the same
    number; a number with letters is none. Remembered per spelling (the same
    number is read several times on its way in: normalised, identified, checked
    for duplicates, sanitized): the answer depends on nothing else.
    """
    if not number or not isinstance(number, str) or phone_has_letters(number):
        return False
    return _phone_normalize(number, force_format)


@functools.lru_cache(maxsize=8192)
def _phone_normalize(number, force_format):
    raw = number.strip()
    digits = "".join(c for c in raw if c.isdigit())
    # People often write the country code without the plus: 62812... (read in
    # Indonesia, phonenumbers would take the 62 for the start of an area code)
    if not raw.startswith("+") and digits.startswith("62") and len(digits) >= 10:
        raw = "+" + digits
    try:
        return phone_format(
            raw, COUNTRY_CODE, COUNTRY_PHONE_CODE, force_format=force_format
        )
    except UserError:
        return False
