"""NIK (Nomor Induk Kependudukan) helpers.

A NIK has 16 digits: 1-6 region code (province, regency, district), 7-12 the birth
date as DDMMYY with 40 added to the day for women, 13-16 a serial number.
"""

import datetime
import re

# Province codes in use (Kemendagri), first two digits of the region code.
PROVINCE_CODES = {
    11,
    12,
    13,
    14,
    15,
    16,
    17,
    18,
    19,
    21,
    31,
    32,
    33,
    34,
    35,
    36,
    51,
    52,
    53,
    61,
    62,
    63,
    64,
    65,
    71,
    72,
    73,
    74,
    75,
    76,
    81,
    82,
    91,
    92,
    93,
    94,
    95,
    96,
}
_SEPARATORS = re.compile(r"[\s.\-]")


def normalize_nik(value):
    """Return the NIK without the spaces, dots and dashes people type in it."""
    return _SEPARATORS.sub("", value or "")


def _birth_parts(nik):
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = day > 40
    if female:
        day -= 40
    return day, month, year, female


def nik_birthdate(nik, today=None):
    """Birth date encoded in a valid NIK (two-digit year resolved to the past)."""
    day, month, yy, _female = _birth_parts(nik)
    today = today or datetime.date.today()
    year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def nik_gender(nik):
    """'female' or 'male' as encoded in a NIK."""
    return "female" if _birth_parts(nik)[3] else "male"


def nik_problem(nik):
    """Why a normalized NIK is not plausible: 'length', 'province', 'birthdate',
    'serial', or None when it is."""
    if not nik.isdigit() or len(nik) != 16:
        return "length"
    if int(nik[:2]) not in PROVINCE_CODES:
        return "province"
    day, month, _yy, _female = _birth_parts(nik)
    if not 1 <= day <= 31 or not 1 <= month <= 12 or not nik_birthdate(nik):
        return "birthdate"
    if nik[12:] == "0000":
        return "serial"
    return None
