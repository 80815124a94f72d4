from odoo.tests import tagged

from odoo.addons.daya_base.tests.role_rights import RoleRightsCase, RoleRightsTests


@tagged("post_install", "-at_install")
class TestRoleRights(RoleRightsTests, RoleRightsCase):
    """Who may read, write, create and delete what (readme/ROLES.rst): the table
    below, the readme's, and the rights each role really has."""

    module = "daya_base"
    # R read, W write, C create, D delete, - none; columns: role_rights.ROLES
    # fmt: off
    RIGHTS = {
        #    SF   AH1  STNK SA   PH1  PH23 ADH  KB   KC   AC   HO
        "daya.branch":
            "R    R    R    R    R    R    R    R    R    R    RWCD",
        "daya.branch.mixin":
            "-    -    -    -    -    -    -    -    -    -    -",
        "daya.code.map":
            "R    R    R    R    RWCD RWCD R    RWCD RWCD RWCD RWCD",
        "daya.occupation":
            "R    R    R    R    R    R    R    R    R    R    RWCD",
        "daya.partner.access.log":
            "-    -    -    -    -    -    -    -    -    -    R",
        "daya.restricted.fields.mixin":
            "-    -    -    -    -    -    -    -    -    -    -",
        "daya.unit.sale":
            "R    R    R    RWC  RWC  RWC  RWC  RWC  RWC  RWC  RWCD",
        "res.partner":
            "RWC  RWCD RWCD RWC  RWC  RWCD RWCD RWCD RWCD RWCD RWCD",
    }
    # fmt: on
