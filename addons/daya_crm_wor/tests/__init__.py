from . import test_wor_lead
from . import test_booking
from . import test_conversion
from . import test_tour
from . import test_booking_trust
from . import test_customer_branch
from . import test_role_rights
