"""Phone number helpers: every number is normalized with phonenumbers, region ID."""

import phonenumbers

DEFAULT_REGION = "ID"


def phone_to_e164(number, region=DEFAULT_REGION):
    """Return the E.164 form of ``number`` or ``False`` if it is not a valid number.

    0812…, +62812…, 62812… and 812… with spaces, dots or dashes all give +62812….
    """
    if not number:
        return False
    raw = number.strip()
    digits = "".join(c for c in raw if c.isdigit())
    # People often write the country code without the plus: 62812...
    if not raw.startswith("+") and digits.startswith("62") and len(digits) >= 10:
        raw = "+" + digits
    try:
        parsed = phonenumbers.parse(raw, region or DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return False
    if not phonenumbers.is_valid_number(parsed):
        return False
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_to_international(e164):
    """Display form of an E.164 number: +62 812-3456-7890."""
    return phonenumbers.format_number(
        phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
