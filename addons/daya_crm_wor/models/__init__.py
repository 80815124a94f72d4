from . import daya_branch
from . import daya_booking_slot
from . import daya_wor_lead
from . import daya_service_booking
from . import daya_unit_sale
