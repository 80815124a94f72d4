from odoo.tests import tagged

from odoo.addons.daya_base.tests.role_rights import RoleRightsCase, RoleRightsTests


@tagged("post_install", "-at_install")
class TestRoleRights(RoleRightsTests, RoleRightsCase):
    """Who may read, write, create and delete what (readme/ROLES.rst): the table
    below, the readme's, and the rights each role really has."""

    module = "daya_crm_wor"
    # R read, W write, C create, D delete, - none; columns: role_rights.ROLES
    # fmt: off
    RIGHTS = {
        #    SF   AH1  STNK SA   PH1  PH23 ADH  KB   KC   AC   HO
        "resource.calendar":
            "R    R    R    R    R    R    R    R    R    R    RW",
        "resource.calendar.attendance":
            "R    R    R    R    R    R    R    RWCD RWCD RWCD RWCD",
        "daya.service.booking":
            "R    R    -    R    RWC  RWC  R    RWC  RWC  RWC  RWCD",
        "daya.wor.lead":
            "R    R    -    R    RWC  RWC  R    RWC  RWC  RWC  RWCD",
        "daya.wor.lead.lost":
            "-    -    -    -    RWC  RWC  -    RWC  RWC  RWC  RWC",
    }
    # fmt: on
