from . import daya_pdp_anonymize_wizard
