from . import models, wizard
from .hooks import pre_init_hook
