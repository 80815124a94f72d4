from . import test_generation
from . import test_queue
from . import test_messages
from . import test_import
from . import test_gateway_security
from . import test_task_rights
from . import test_role_rights
from . import test_demo_queue
