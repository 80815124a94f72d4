from . import test_consent
from . import test_export
from . import test_anonymize
from . import test_registers
from . import test_retention
from . import test_role_rights
