from . import test_dealer_memo_rules
