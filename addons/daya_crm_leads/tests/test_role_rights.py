from odoo.tests import tagged

from odoo.addons.daya_base.tests.role_rights import RoleRightsCase, RoleRightsTests


@tagged("post_install", "-at_install")
class TestRoleRights(RoleRightsTests, RoleRightsCase):
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
