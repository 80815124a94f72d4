from . import test_partner
from . import test_role_rights
from . import test_partner_scale
from . import test_branch_heads
from . import test_code_map
from . import test_bulk
from . import test_partner_attach
