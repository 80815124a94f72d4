from . import ktp_ocr
