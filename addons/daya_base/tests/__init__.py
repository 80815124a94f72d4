from . import test_partner
from . import test_role_rights
