from . import daya_dealer_memo_wizard
from . import daya_unit_delivery_wizard
from . import daya_crm_report_wizard
