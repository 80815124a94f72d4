from odoo.tests import tagged

from odoo.addons.daya_base.tests.role_rights import RoleRightsCase


@tagged("post_install", "-at_install")
class TestRoleRights(RoleRightsCase):
    """Who may read, write, create and delete what (readme/ROLES.rst): the table
    below, the readme's, and the rights each role really has."""

    module = "daya_crm_leads"
    # R read, W write, C create, D delete, - none; columns: role_rights.ROLES
    # fmt: off
    RIGHTS = {
        #    SF   AH1  STNK SA   PH1  PH23 ADH  KB   KC   AC   HO
        "crm.lead":
            "RWC  -    -    RWC  RWC  -    RWC  -    RWCD RWCD RWCD",
        "crm.team":
            "R    R    R    R    R    R    R    R    RWCD RWCD RWCD",
        "daya.crm.report.wizard":
            "RWC  -    -    RWC  RWC  -    RWC  -    RWC  RWC  RWC",
        "daya.dealer.memo":
            "R    -    -    RW   R    R    RW   R    RW   RW   RWCD",
        "daya.dealer.memo.wizard":
            "RWC  -    -    RWC  RWC  -    RWC  -    RWC  RWC  RWC",
        "daya.sales.memo":
            "R    -    -    RWC  R    -    RWC  -    RWC  RWC  RWCD",
        "daya.unit.delivery.wizard":
            "-    -    -    RWC  -    -    RWC  -    RWC  RWC  RWC",
    }
    # fmt: on

    def test_rights_match_table(self):
        self._check_rights_match_table()

    def test_every_model_has_row(self):
        self._check_every_model_has_row()

    def test_readme_matches_table(self):
        self._check_readme_matches_table()
