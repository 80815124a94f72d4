from . import daya_sales_memo
from . import res_users
from . import crm_team
from . import crm_stage
from . import crm_lead
from . import daya_dealer_memo
from . import daya_unit_sale
