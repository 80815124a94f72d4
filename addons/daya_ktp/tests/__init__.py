from . import test_ktp_ocr
from . import test_ktp_wizard
from . import test_ktp_photo
from . import test_role_rights
