from . import test_wor_lead
from . import test_booking
