from . import test_generation
from . import test_queue
