from . import daya_followup_wrong_number
