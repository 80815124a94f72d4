from . import daya_dealer_memo_wizard
