from . import test_cdb_profile, test_review, test_tour, test_validation_http
from . import test_secrets
from . import test_role_rights
