from .nik import nik_birthdate, nik_gender, nik_problem, normalize_nik
from .phone import phone_has_letters, phone_normalize
from .text import TEXT_MAX_LENGTH, check_text_lengths
