from . import daya_followup_wrong_number
from . import daya_unit_import
