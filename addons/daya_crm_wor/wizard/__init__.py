from . import daya_wor_lead_lost
