"""Suite-level tests run with pytest-odoo on the database that tests/run.sh installs
(``--odoo-database``): they check the suite as a whole, across its four addons."""
