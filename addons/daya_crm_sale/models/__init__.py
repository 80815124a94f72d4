from . import daya_dealer_memo
from . import sale_order
