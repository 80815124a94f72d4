from . import test_dms_pull
from . import test_dms_security
from . import test_role_rights
from . import test_translation
from . import test_dms_fixtures
from . import test_dms_push
from . import test_dms_prospects
