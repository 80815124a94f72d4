from . import test_cdb_lead
