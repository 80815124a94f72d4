"""The role rights table of an addon, checked as a user of each role.

Each addon of the suite documents in ``readme/ROLES.rst`` who may read (R), write
(W), create (C) and delete (D) the records of every model it defines or restricts
(``-``: none), and repeats the same table as Python data in its
``tests/test_role_rights.py`` (a :class:`RoleRightsCase`). The test checks that

* every role's access rights (``ir.model.access``, with the groups the role implies)
  are exactly those of the table;
* every model of the addon has its row: the models it defines (transient and
  abstract ones too) and the models it gives access rights or record rules to;
* the readme's table and the test's table are the same data.
"""

import os

from odoo.modules.module import get_module_path
from odoo.tests.common import TransactionCase
from odoo.tools.misc import file_open

from odoo.addons.mail.tests.common import mail_new_test_user

# The roles (the groups of the category "Daya CRM"), in the table's column order:
# (column heading, group xml id).
ROLES = (
    ("SF", "daya_base.group_daya_sales_force"),
    ("AH1", "daya_base.group_daya_admin_h1"),
    ("STNK", "daya_base.group_daya_admin_stnk"),
    ("SA", "daya_base.group_daya_sales_admin"),
    ("PH1", "daya_base.group_daya_pic_crm_h1"),
    ("PH23", "daya_base.group_daya_pic_crm_h23"),
    ("ADH", "daya_base.group_daya_adh"),
    ("KB", "daya_base.group_daya_workshop_head"),
    ("KC", "daya_base.group_daya_branch_head"),
    ("AC", "daya_base.group_daya_area_coordinator"),
    ("HO", "daya_base.group_daya_head_office"),
)
# The letters of a cell, in their order, and the operations they stand for.
OPERATIONS = (("R", "read"), ("W", "write"), ("C", "create"), ("D", "unlink"))
README = "readme/ROLES.rst"


def suite_modules():
    """The suite's addons: ``DAYA_MODULES`` of the repository's ``.env``, the one
    list that docker compose and ``tests/run.sh`` read too (empty without it)."""
    root = os.path.dirname(os.path.dirname(get_module_path("daya_base")))
    path = os.path.join(root, ".env")
    if not os.path.isfile(path):
        return ()
    with open(path, encoding="utf-8") as env_file:
        for line in env_file:
            if line.startswith("DAYA_MODULES="):
                return tuple(line.split("=", 1)[1].strip().split(","))
    return ()


# The tables show the rights with the whole suite installed (an addon may give
# rights on another addon's model, as daya_crm_followup on daya.unit.sale).
SUITE = suite_modules()


def parse_rights_table(text):
    """The rights table of an RST grid table ``text``: ``(headings, {model: cells})``
    (the header row's cells after "Model", and each row's cells after the model)."""
    rows = [
        [cell.strip().strip("`") for cell in line.strip().strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("|")
    ]
    if not rows:
        return (), {}
    header, body = rows[0], rows[1:]
    return tuple(header[1:]), {row[0]: tuple(row[1:]) for row in body}


class RoleRightsTests:
    """The checks of an addon's role table, mixed into its test case
    (``class TestRoleRights(RoleRightsTests, RoleRightsCase)``): a mixin, so that
    the base below is not itself run as a test case."""

    def test_rights_match_table(self):
        self._check_rights_match_table()

    def test_every_model_has_row(self):
        self._check_every_model_has_row()

    def test_readme_matches_table(self):
        self._check_readme_matches_table()


class RoleRightsCase(TransactionCase):
    """Base of each addon's role rights test: set ``module`` and ``RIGHTS``
    (model: its cells, one per role of :data:`ROLES` in their order, separated by
    spaces); the checks come with :class:`RoleRightsTests`."""

    module = None
    RIGHTS = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        branch = cls.env["daya.branch"].create(
            {"name": "Role Rights Branch", "code": "TRIGHTS"}
        )
        cls.role_users = {
            heading: mail_new_test_user(
                cls.env,
                login="t_rights_%s" % heading.lower(),
                groups=group,
                branch_id=branch.id,
                branch_ids=[(6, 0, branch.ids)],
            )
            for heading, group in ROLES
        }

    # ------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------

    def _table(self):
        """``RIGHTS`` as ``{model: (cell, ...)}``."""
        return {model: tuple(cells.split()) for model, cells in self.RIGHTS.items()}

    def _actual_cell(self, model, user):
        """The letters of the operations ``user`` may do on ``model``."""
        Model = self.env[model].with_user(user)
        letters = "".join(
            letter
            for letter, operation in OPERATIONS
            if Model.check_access_rights(operation, raise_exception=False)
        )
        return letters or "-"

    def _addon_models(self):
        """The models the addon defines, and those it gives access rights or
        record rules to."""
        models = {
            name
            for name, model_class in self.env.registry.items()
            if model_class._original_module == self.module
        }
        for data_model in ("ir.model.access", "ir.rule"):
            res_ids = (
                self.env["ir.model.data"]
                .search([("module", "=", self.module), ("model", "=", data_model)])
                .mapped("res_id")
            )
            models |= set(self.env[data_model].browse(res_ids).mapped("model_id.model"))
        return models

    # ------------------------------------------------------------
    # CHECKS
    # ------------------------------------------------------------

    def _check_rights_match_table(self):
        """Every role holds exactly the rights of its cell, on every row."""
        self.assertTrue(self.RIGHTS, "The role rights table is empty.")
        installed = self.env["ir.module.module"].search(
            [("name", "in", SUITE), ("state", "=", "installed")]
        )
        if not SUITE or len(installed) < len(SUITE):
            self.skipTest("The tables show the rights with the four addons installed.")
        headings = [heading for heading, _group in ROLES]
        mismatches = []
        for model, cells in self._table().items():
            self.assertIn(model, self.env, "%s: no such model" % model)
            self.assertEqual(
                len(cells), len(ROLES), "%s: one cell per role %s" % (model, headings)
            )
            for heading, cell in zip(headings, cells):
                actual = self._actual_cell(model, self.role_users[heading])
                if actual != cell:
                    mismatches.append(
                        "%s %s: table %s, actual %s" % (model, heading, cell, actual)
                    )
        self.assertFalse(
            mismatches,
            "The role rights differ from the table (update readme/ROLES.rst and "
            "tests/test_role_rights.py, or the access rights):\n"
            + "\n".join(mismatches),
        )

    def _check_every_model_has_row(self):
        """A model of the addon without its row fails, by name."""
        models = self._addon_models()
        missing = sorted(models - set(self.RIGHTS))
        self.assertFalse(
            missing,
            "Models of %s without a row in its role rights table (readme/ROLES.rst "
            "and tests/test_role_rights.py): %s" % (self.module, ", ".join(missing)),
        )
        foreign = sorted(set(self.RIGHTS) - models)
        self.assertFalse(
            foreign,
            "Rows of the %s role rights table for models it neither defines nor "
            "restricts: %s" % (self.module, ", ".join(foreign)),
        )

    def _check_readme_matches_table(self):
        """``readme/ROLES.rst`` shows the same table as the test."""
        path = "%s/%s" % (get_module_path(self.module), README)
        with file_open(path) as readme:
            headings, rows = parse_rights_table(readme.read())
        self.assertEqual(
            headings,
            tuple(heading for heading, _group in ROLES),
            "%s: the columns are the roles, in their order" % README,
        )
        table = self._table()
        differences = [
            "%s: readme %s, test %s"
            % (
                model,
                " ".join(rows.get(model, ["no row"])),
                " ".join(table.get(model, ["no row"])),
            )
            for model in sorted(set(rows) | set(table))
            if rows.get(model) != table.get(model)
        ]
        self.assertFalse(
            differences,
            "%s and tests/test_role_rights.py show different rights:\n%s"
            % (README, "\n".join(differences)),
        )
