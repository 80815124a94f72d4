from . import test_branch_security
from . import test_roles
from . import test_partner
from . import test_motorcycle
from . import test_ui_language
