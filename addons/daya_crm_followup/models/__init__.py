from . import daya_followup_rule
from . import daya_followup_task
from . import daya_unit_sale
from . import daya_service_booking
from . import daya_message_gateway
from . import daya_cdb_validation
