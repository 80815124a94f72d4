"""Reading a photo of an Indonesian identity card (e-KTP) with Tesseract.

``read_ktp(image_bytes)`` prepares the photo (EXIF orientation, the card found and
straightened, grayscale, uneven light flattened, contrast, the card's size brought
to Tesseract's sweet spot, the photo box cut off), reads it with Tesseract's
Indonesian model and parses the card's labelled lines. The NIK rules
(``daya_base.tools.nik``) decide whether the NIK read is one; its birth date
and gender must agree with the text fields.

Pure Python on Pillow, OpenCV and pytesseract: no Odoo, no database.
"""

import datetime
import difflib
import io
import os
import re

from odoo.addons.daya_base.tools.nik import nik_birthdate, nik_gender, nik_problem

try:
    import cv2
    import numpy
    import pytesseract
    from PIL import Image, ImageOps
except ImportError:  # the manifest's external_dependencies name them
    cv2 = numpy = pytesseract = Image = ImageOps = None

FIELDS = (
    "nik",
    "name",
    "birth_place",
    "birthdate",
    "gender",
    "street",
    "rt_rw",
    "village",
    "district",
    "religion",
    "marital_status",
    "occupation",
)
# the card's labels, as printed, and the key of the value they introduce
LABELS = [
    ("NIK", "nik"),
    ("NAMA", "name"),
    ("TEMPATTGLLAHIR", "birth"),
    ("JENISKELAMIN", "gender"),
    ("ALAMAT", "street"),
    ("RTRW", "rt_rw"),
    ("KELDESA", "village"),
    ("KECAMATAN", "district"),
    ("AGAMA", "religion"),
    ("STATUSPERKAWINAN", "marital_status"),
    ("PEKERJAAN", "occupation"),
    ("KEWARGANEGARAAN", None),
    ("BERLAKUHINGGA", None),
    ("PROVINSI", None),
    ("GOLDARAH", None),
]
RELIGIONS = ["ISLAM", "KRISTEN", "KATOLIK", "HINDU", "BUDDHA", "KONGHUCU"]
MARITAL_STATUSES = ["BELUM KAWIN", "KAWIN", "CERAI HIDUP", "CERAI MATI"]
GENDERS = {"LAKI-LAKI": "male", "PEREMPUAN": "female"}
# OCR confusions of digits, for the NIK, RT/RW and dates
DIGIT_FIXES = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "Q": "0",
        "U": "0",
        "I": "1",
        "l": "1",
        "i": "1",
        "|": "1",
        "!": "1",
        "L": "1",
        "T": "7",
        "S": "5",
        "s": "5",
        "B": "8",
        "?": "7",
        "Z": "2",
        "z": "2",
        "G": "6",
        "b": "6",
        "A": "4",
        "g": "9",
    }
)
# Tesseract's OpenMP threads only slow it down on a small, busy server (measured: 2
# cores): one thread per reading (the subprocess inherits the environment)
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
CARD_WIDTH = 1012  # pixels: the card's text is then about 20 px high
TESSERACT_CONFIG = "--oem 1 --psm 6"


class KtpReadError(Exception):
    """The image cannot be read at all (not an image, no OCR engine)."""


# ------------------------------------------------------------
# PREPROCESSING
# ------------------------------------------------------------


def load_gray(image_bytes):
    """The photo as a grayscale array, upright as the phone held it."""
    if cv2 is None:
        raise KtpReadError("missing")
    try:
        image = Image.open(io.BytesIO(image_bytes))
        image = ImageOps.exif_transpose(image).convert("L")
    except Exception as error:  # Pillow raises many kinds on bad data
        raise KtpReadError("image") from error
    # very large photos first come down to a workable size
    if max(image.size) > 2400:
        image.thumbnail((2400, 2400))
    return numpy.asarray(image)


def _order_corners(points):
    points = points.reshape(4, 2).astype("float32")
    total, diff = points.sum(axis=1), numpy.diff(points, axis=1).ravel()
    return numpy.array(
        [
            points[numpy.argmin(total)],
            points[numpy.argmin(diff)],
            points[numpy.argmax(total)],
            points[numpy.argmax(diff)],
        ],
        dtype="float32",
    )


def find_card(gray):
    """The card straightened (perspective and rotation) when it stands out from
    its background, else the photo deskewed by its text lines."""
    height, width = gray.shape
    small_scale = 600.0 / max(height, width)
    small = cv2.resize(gray, None, fx=small_scale, fy=small_scale)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    _ret, mask = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, numpy.ones((9, 9), numpy.uint8))
    contours = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)[-2]
    if contours:
        contour = max(contours, key=cv2.contourArea)
        area = cv2.contourArea(contour)
        if 0.25 * small.size < area < 0.97 * small.size:
            quad = cv2.approxPolyDP(contour, 0.02 * cv2.arcLength(contour, True), True)
            if len(quad) != 4:
                quad = cv2.boxPoints(cv2.minAreaRect(contour))
            corners = _order_corners(numpy.array(quad)) / small_scale
            top = numpy.linalg.norm(corners[1] - corners[0])
            side = numpy.linalg.norm(corners[3] - corners[0])
            if side > top:  # the card stands upright: turn it
                corners = numpy.roll(corners, -1, axis=0)
                top, side = side, top
            target_w = CARD_WIDTH
            target_h = int(CARD_WIDTH * 54 / 85.6)
            target = numpy.array(
                [[0, 0], [target_w, 0], [target_w, target_h], [0, target_h]],
                dtype="float32",
            )
            matrix = cv2.getPerspectiveTransform(corners, target)
            return cv2.warpPerspective(
                gray, matrix, (target_w, target_h), flags=cv2.INTER_CUBIC
            ), True
    # no background around it: the photo is the card when it has its shape
    card = deskew(gray)
    return card, 1.4 < card.shape[1] / float(card.shape[0]) < 1.8


def deskew(gray):
    """Turn the photo so that its text lines are horizontal (up to 15 degrees)."""
    height, width = gray.shape
    scale = CARD_WIDTH / float(width)
    gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15
    )
    lines = cv2.HoughLinesP(
        cv2.dilate(ink, numpy.ones((1, 15), numpy.uint8)),
        1,
        numpy.pi / 360,
        threshold=200,
        minLineLength=gray.shape[1] // 4,
        maxLineGap=10,
    )
    angles = []
    for x1, y1, x2, y2 in lines[:, 0] if lines is not None else []:
        angle = numpy.degrees(numpy.arctan2(y2 - y1, x2 - x1))
        if abs(angle) < 15:
            angles.append(angle)
    if not angles:
        return gray
    angle = float(numpy.median(angles))
    center = (gray.shape[1] / 2, gray.shape[0] / 2)
    matrix = cv2.getRotationMatrix2D(center, angle, 1.0)
    return cv2.warpAffine(
        gray,
        matrix,
        (gray.shape[1], gray.shape[0]),
        flags=cv2.INTER_CUBIC,
        borderMode=cv2.BORDER_REPLICATE,
    )


def prepare(gray, on_card=True):
    """Flatten the light, stretch the contrast and keep the text part of the card
    (without its photo box, which only gives the OCR noise)."""
    background = cv2.GaussianBlur(gray, (0, 0), 25)
    flat = cv2.divide(gray, background, scale=235)
    flat = cv2.normalize(flat, None, 0, 255, cv2.NORM_MINMAX)
    if on_card:
        height, width = flat.shape
        flat = flat[int(0.12 * height) : int(0.96 * height), : int(0.755 * width)]
    return flat


# ------------------------------------------------------------
# PARSING
# ------------------------------------------------------------


def _squash(text):
    # "rn" read for "m" is the OCR's most common confusion in labels
    return re.sub(r"[^A-Z]", "", text.upper()).replace("RN", "M")


def _match_label(line):
    """The label a line starts with (fuzzy) and the value after it."""
    # specks before the label (the card's edge read as "|", "1", "(")
    line = re.sub(r"^[^A-Za-z]+\s+(?=[A-Za-z])", "", line)
    head, sep, tail = line.partition(":")
    candidates = []
    if sep:
        candidates.append((head, tail))
    words = line.split()
    for count in range(1, min(4, len(words)) + 1):
        candidates.append((" ".join(words[:count]), " ".join(words[count:])))
    best = (0.0, None, None)
    for head, tail in candidates:
        squashed = _squash(head)
        if not squashed:
            continue
        for label, key in LABELS:
            ratio = difflib.SequenceMatcher(None, squashed, label).ratio()
            if ratio > best[0]:
                best = (ratio, key if key else "", tail)
    ratio, key, value = best
    if ratio < 0.75:
        return None, line
    # a colon the OCR read as another character: "Alamat 1 JL. ..."
    value = (
        re.sub(r"^\s*[12tTiIl|!;:.,]\s+(?=\S)", "", value) if key != "nik" else value
    )
    return key, value.strip(" :;.,=-_|\"'~")


def _clean_value(value):
    """The value in capitals without the specks the OCR reads around it (words
    without a letter or digit at its ends)."""
    words = value.upper().split()
    while words and not re.search(r"[A-Z0-9]", words[-1]):
        words.pop()
    while words and not re.search(r"[A-Z0-9]", words[0]):
        words.pop(0)
    return " ".join(words).strip(" :;,=_|\"'~")


def _closest(value, choices, cutoff=0.7):
    found = difflib.get_close_matches(value.upper(), choices, n=1, cutoff=cutoff)
    return found[0] if found else None


def fix_nik(text):
    """The 16 digits of a NIK read by the OCR, with the usual confusions fixed
    (O/D->0, I/l->1, S->5, B->8, ?->7...) and the noise around it left out."""
    fixed = (text or "").translate(DIGIT_FIXES)
    runs = [
        re.sub(r"\D", "", run) for run in re.findall(r"\d(?:[\d\s.\-,]*\d)?", fixed)
    ]
    if not runs:
        return ""
    exact = [run for run in runs if len(run) == 16]
    if exact:
        return exact[0]
    longest = max(runs, key=len)
    for start in range(max(0, len(longest) - 15)):
        if not nik_problem(longest[start : start + 16]):
            return longest[start : start + 16]
    return longest


def parse_date(text):
    text = (text or "").translate(DIGIT_FIXES)
    match = re.search(r"(\d{1,2})\s*[-/.\s]\s*(\d{1,2})\s*[-/.\s]\s*(\d{4})", text)
    if not match:
        digits = re.sub(r"\D", "", text)
        if len(digits) != 8:
            return None
        match = re.match(r"(\d{2})(\d{2})(\d{4})", digits)
    day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_lines(lines):
    """The raw values of the card's labelled lines: ``{key: text}``."""
    raw = {}
    for line in lines:
        line = line.strip()
        if len(line) < 3:
            continue
        key, value = _match_label(line)
        if key and key not in raw:
            raw[key] = value
        elif key is None and "nik" not in raw and len(fix_nik(line)) >= 15:
            raw["nik"] = line
    return raw


def interpret(raw, today=None):
    """The values of the card from the raw texts, checked; unreadable ones are
    ``False`` and listed in ``unread``, disagreements in ``warnings``."""
    result = dict.fromkeys(FIELDS, False)
    warnings = []
    # the text fields
    name = _clean_value(re.sub(r"[^A-Za-z.,' \-]", "", raw.get("name", "")))
    result["name"] = name if len(name) >= 3 else False
    birth = raw.get("birth", "")
    place, _sep, date_text = birth.partition(",")
    if not _sep:  # the comma was lost: the date is the last word
        parts = birth.rsplit(" ", 1)
        place, date_text = (parts[0], parts[1]) if len(parts) == 2 else ("", birth)
    place = _clean_value(re.sub(r"[^A-Za-z .\-]", "", place))
    result["birth_place"] = place if len(place) >= 3 else False
    result["birthdate"] = parse_date(date_text) or False
    gender_text = re.sub(r"GOL.*$", "", raw.get("gender", "").upper()).strip()
    gender_word = _closest(gender_text.split(" ")[0] if gender_text else "", GENDERS)
    result["gender"] = GENDERS.get(gender_word, False)
    street = _clean_value(raw.get("street", ""))
    result["street"] = street if len(street) >= 3 else False
    rt_rw = re.sub(r"\D", "", raw.get("rt_rw", "").translate(DIGIT_FIXES))
    result["rt_rw"] = "%s/%s" % (rt_rw[:3], rt_rw[3:]) if len(rt_rw) == 6 else False
    for key in ("village", "district"):
        value = _clean_value(re.sub(r"[^A-Za-z .\-]", "", raw.get(key, "")))
        result[key] = value if len(value) >= 3 else False
    # a fixed list: the first word or two, whatever the OCR read beside them
    religion = _clean_value(raw.get("religion", "")).split(" ")[0]
    result["religion"] = _closest(religion, RELIGIONS) or False
    marital = _clean_value(raw.get("marital_status", "")).split(" ")
    result["marital_status"] = (
        _closest(
            " ".join(marital[:2]), ["BELUM KAWIN", "CERAI HIDUP", "CERAI MATI"], 0.8
        )
        or _closest(marital[0], ["KAWIN"], 0.8)
        or False
    )
    occupation = _clean_value(raw.get("occupation", ""))
    result["occupation"] = occupation if len(occupation) >= 3 else False

    # the NIK: its rules, then its agreement with the birth date and gender
    nik = fix_nik(raw.get("nik", ""))
    if nik:
        problem = nik_problem(nik)
        if problem:
            warnings.append(("nik_invalid", nik))
        else:
            birthdate = nik_birthdate(nik, today=today)
            if result["birthdate"] and birthdate != result["birthdate"]:
                warnings.append(("nik_birthdate", nik))
            elif result["gender"] and nik_gender(nik) != result["gender"]:
                warnings.append(("nik_gender", nik))
            else:
                result["nik"] = nik
                # what the text missed, the NIK tells
                result["birthdate"] = result["birthdate"] or birthdate
                result["gender"] = result["gender"] or nik_gender(nik)
    result["unread"] = [key for key in FIELDS if not result[key]]
    result["warnings"] = warnings
    return result


# ------------------------------------------------------------
# THE WHOLE READING
# ------------------------------------------------------------


def ocr_lines(image):
    text = pytesseract.image_to_string(image, lang="ind", config=TESSERACT_CONFIG)
    return [line for line in text.splitlines() if line.strip()]


def read_nik_line(card):
    """The NIK's own line, read again at twice the size with digits only: the
    large NIK font is where a general reading confuses 8 with 3 or 0 with 9."""
    height, width = card.shape
    line = card[
        int(0.125 * height) : int(0.225 * height), int(0.17 * width) : int(0.72 * width)
    ]
    line = prepare(
        cv2.resize(line, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC), False
    )
    text = pytesseract.image_to_string(
        line,
        lang="eng",
        config="--oem 1 --psm 7 -c tessedit_char_whitelist=0123456789:",
    )
    return fix_nik(text)


def read_ktp(image_bytes, today=None):
    """Read a KTP photo: the dict of ``FIELDS`` plus ``unread`` and ``warnings``
    (``(code, value)`` pairs: ``nik_invalid``, ``nik_birthdate``, ``nik_gender``)."""
    gray = load_gray(image_bytes)
    card, on_card = find_card(gray)
    try:
        lines = ocr_lines(prepare(card, on_card))
        raw = parse_lines(lines)
        if len(raw) < 3:  # upside down, or the card was not found: the other way
            turned = ocr_lines(prepare(cv2.rotate(card, cv2.ROTATE_180), on_card))
            raw_turned = parse_lines(turned)
            if len(raw_turned) > len(raw):
                raw = raw_turned
        if on_card:
            nik = read_nik_line(card)
            if len(nik) == 16 and not nik_problem(nik):
                raw["nik"] = nik
    except pytesseract.TesseractNotFoundError as error:
        raise KtpReadError("missing") from error
    return interpret(raw, today=today)
