from odoo.tests import tagged

from odoo.addons.daya_base.tests.role_rights import RoleRightsCase, RoleRightsTests


@tagged("post_install", "-at_install")
class TestRoleRights(RoleRightsTests, RoleRightsCase):
    """Who may read, write, create and delete what (readme/ROLES.rst): the table
    below, the readme's, and the rights each role really has."""

    module = "daya_cdb_validation"
    # R read, W write, C create, D delete, - none; columns: role_rights.ROLES
    # fmt: off
    RIGHTS = {
        #    SF   AH1  STNK SA   PH1  PH23 ADH  KB   KC   AC   HO
        "daya.cdb.validation":
            "R    -    RWC  R    RWC  -    RWC  -    RWC  RWC  RWCD",
        "daya.cdb.validation.line":
            "R    -    RW   R    RW   -    RW   -    RW   RW   RWD",
        "res.partner":
            "RWC  RWCD RWCD RWC  RWC  RWCD RWCD RWCD RWCD RWCD RWCD",
    }
    # fmt: on
