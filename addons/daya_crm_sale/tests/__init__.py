from . import test_dealer_memo_rules
from . import test_role_rights
from . import test_dealer_memo_order
