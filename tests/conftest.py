"""Suite-level tests, run with pytest-odoo on the database that tests/run.sh installs
(``--odoo-database``): they check the suite as a whole, across its four addons. Each
addon's own tests live in ``addons/<addon>/tests`` and run inside Odoo (step 1 of
tests/run.sh)."""

import os

import pytest

import odoo
from odoo import SUPERUSER_ID, api


def pytest_configure(config):
    # without a database pytest-odoo does not start Odoo and every test would fail
    # on a missing registry: say how to run them instead
    if not (
        config.getoption("--odoo-database", None)
        or config.getoption("--odoo-config", None)
        or os.environ.get("ODOO_RC")
    ):
        raise pytest.UsageError(
            "the suite-level tests need an Odoo database: run `bash tests/run.sh`, "
            "or pytest tests --odoo-database=DB --odoo-config=odoo.conf"
        )


@pytest.fixture(scope="module")
def db_name():
    return odoo.tools.config["db_name"]


@pytest.fixture
def env(db_name):
    """A superuser environment whose changes are committed at once (the servers
    and processes a test starts must see them)."""
    registry = odoo.registry(db_name)
    with registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {"tz": "Asia/Jakarta"})
