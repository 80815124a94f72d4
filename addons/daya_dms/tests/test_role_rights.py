from odoo.tests import tagged

from odoo.addons.daya_base.tests.role_rights import RoleRightsCase, RoleRightsTests


@tagged("post_install", "-at_install")
class TestRoleRights(RoleRightsTests, RoleRightsCase):
    """Who may read, write, create and delete what (readme/ROLES.rst): the table
    below, the readme's, and the rights each role really has."""

    module = "daya_dms"
    # R read, W write, C create, D delete, - none; columns: role_rights.ROLES
    # fmt: off
    RIGHTS = {
        #    SF   AH1  STNK SA   PH1  PH23 ADH  KB   KC   AC   HO
        "daya.dms.backend":
            "-    -    -    -    -    -    -    -    R    R    R",
        "daya.dms.code.map":
            "-    -    -    -    -    -    -    -    R    R    RWCD",
        "daya.dms.log":
            "-    -    -    -    -    -    -    -    R    R    R",
        "daya.dms.work.order":
            "R    R    R    R    R    R    R    R    R    R    R",
    }
    # fmt: on
