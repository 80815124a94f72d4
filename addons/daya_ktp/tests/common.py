import importlib.util
import os

from odoo.addons.daya_base.tests.common import DayaCrmCommon

# the card generator of the benchmark (tests/benchmarks/ktp_cards.py at the
# repository's root), shared by the benchmark and these tests
CARDS_PATH = os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "tests", "benchmarks", "ktp_cards.py"
)


def load_card_generator():
    spec = importlib.util.spec_from_file_location("daya_ktp_cards", CARDS_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class DayaKtpCommon(DayaCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cards = load_card_generator()
        # one clean card, the same every run
        cls.card_image, cls.card_person = cls.cards.make_cards(1, seed=1414)[0]
