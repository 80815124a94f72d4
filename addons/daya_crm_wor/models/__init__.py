from . import daya_branch
from . import resource_calendar
from . import daya_wor_lead
from . import daya_service_booking
from . import daya_unit_sale
