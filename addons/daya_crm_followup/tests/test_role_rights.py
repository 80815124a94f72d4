from odoo.tests import tagged

from odoo.addons.daya_base.tests.role_rights import RoleRightsCase, RoleRightsTests


@tagged("post_install", "-at_install")
class TestRoleRights(RoleRightsTests, RoleRightsCase):
    """Who may read, write, create and delete what (readme/ROLES.rst): the table
    below, the readme's, and the rights each role really has."""

    module = "daya_crm_followup"
    # R read, W write, C create, D delete, - none; columns: role_rights.ROLES
    # fmt: off
    RIGHTS = {
        #    SF   AH1  STNK SA   PH1  PH23 ADH  KB   KC   AC   HO
        "daya.followup.rule":
            "R    R    R    R    R    R    R    R    R    R    RWCD",
        "daya.followup.task":
            "RW   RW   -    RW   RW   RW   RW   RW   RW   RW   RWCD",
        "daya.followup.week.report":
            "-    -    -    -    R    R    -    R    R    R    R",
        "daya.followup.wrong.number":
            "RWC  RWC  RWC  RWC  RWC  RWC  RWC  RWC  RWC  RWC  RWC",
        "daya.message.gateway":
            "R    R    R    R    R    R    R    R    R    R    R",
        "daya.message.log":
            "R    R    R    R    R    R    R    R    R    R    R",
        "daya.unit.import":
            "-    -    -    -    RWC  RWC  -    RWC  RWC  RWC  RWC",
        "daya.unit.import.line":
            "-    -    -    -    RWC  RWC  -    RWC  RWC  RWC  RWC",
        "daya.unit.sale":
            "R    R    R    RWC  RWC  RWC  RWC  RWC  RWC  RWC  RWCD",
    }
    # fmt: on
