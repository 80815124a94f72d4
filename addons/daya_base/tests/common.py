import base64
import os
import time

from odoo.tests.common import HttpCase, TransactionCase

from odoo.addons.mail.tests.common import mail_new_test_user

# NIKs with a valid province code and birth date: a man born 1 January 1990 and a
# woman born 5 May 1992 (day + 40).
NIK_MAN = "3273010101900001"
NIK_WOMAN = "3273014505920002"


class DayaCrmCommon(TransactionCase):
    """Two branches of one company, a user for every role in branch A, a few in
    branch B, and a motorcycle type with its colours."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Branch = cls.env["daya.branch"]
        cls.branch_a, cls.branch_b = Branch.create(
            [
                {"name": "Test Branch Bandung", "code": "TBDG"},
                {"name": "Test Branch Garut", "code": "TGRT"},
            ]
        )
        prefix = "daya_base.group_daya_"

        def user(login, group, branch, **kw):
            return mail_new_test_user(
                cls.env,
                login=login,
                groups=prefix + group,
                branch_id=branch.id,
                branch_ids=[(6, 0, branch.ids)],
                **kw,
            )

        a, b = cls.branch_a, cls.branch_b
        cls.user_sales_a = user("t_sales_a", "sales_force", a, name="Sales A")
        cls.user_sales_b = user("t_sales_b", "sales_force", b, name="Sales B")
        cls.user_sales_admin_a = user("t_salesadmin_a", "sales_admin", a)
        cls.user_admin_stnk_a = user("t_stnk_a", "admin_stnk", a)
        cls.user_admin_h1_a = user("t_adminh1_a", "admin_h1", a)
        cls.user_adh_a = user("t_adh_a", "adh", a)
        cls.user_pic_h1_a = user("t_pich1_a", "pic_crm_h1", a)
        cls.user_pic_h23_a = user("t_pich23_a", "pic_crm_h23", a)
        cls.user_workshop_head_a = user("t_kabeng_a", "workshop_head", a)
        cls.user_branch_head_a = user("t_kacab_a", "branch_head", a)
        cls.user_branch_head_b = user("t_kacab_b", "branch_head", b)
        cls.user_area = user("t_area", "area_coordinator", a)
        cls.user_area.branch_ids = [(6, 0, (a | b).ids)]
        cls.user_head_office = user("t_ho", "head_office", a)
        # every role of branch A, supervisors included
        cls.role_users_a = (
            cls.user_sales_a
            | cls.user_admin_h1_a
            | cls.user_admin_stnk_a
            | cls.user_sales_admin_a
            | cls.user_pic_h1_a
            | cls.user_pic_h23_a
            | cls.user_adh_a
            | cls.user_workshop_head_a
            | cls.user_branch_head_a
            | cls.user_area
            | cls.user_head_office
        )

        cls.color_attribute = cls.env.ref("daya_base.product_attribute_motor_color")
        Value = cls.env["product.attribute.value"]
        cls.color_black, cls.color_red, cls.color_cream = Value.create(
            [
                {"name": "T Black", "attribute_id": cls.color_attribute.id},
                {"name": "T Red", "attribute_id": cls.color_attribute.id},
                {"name": "T Cream", "attribute_id": cls.color_attribute.id},
            ]
        )
        Template = cls.env["product.template"]

        def motorcycle(name, colors, price):
            return Template.create(
                {
                    "name": name,
                    "is_motorcycle": True,
                    "list_price": price,  # the on-the-road price, in Rupiah
                    "detailed_type": "consu",
                    "attribute_line_ids": [
                        (
                            0,
                            0,
                            {
                                "attribute_id": cls.color_attribute.id,
                                "value_ids": [(6, 0, colors.ids)],
                            },
                        )
                    ],
                }
            )

        cls.type_beat = motorcycle("T BeAT", cls.color_black | cls.color_red, 18650000)
        cls.type_scoopy = motorcycle(
            "T Scoopy", cls.color_cream | cls.color_red, 22740000
        )
        cls.occupation = cls.env.ref("daya_base.occupation_02")
        cls.leasing = cls.env.ref("daya_base.partner_leasing_adira")

        # every user holding the Sales Force role gets a distributed sales memo
        salespeople = (
            cls.user_sales_a
            | cls.user_sales_b
            | cls.user_sales_admin_a
            | cls.user_adh_a
            | cls.user_pic_h1_a
            | cls.user_branch_head_a
            | cls.user_branch_head_b
            | cls.user_area
            | cls.user_head_office
        )
        cls.sales_memos = cls.env["daya.sales.memo"].create(
            [
                {
                    "name": f"T-SM-{user.login}",
                    "branch_id": user.branch_id.id,
                    "user_id": user.id,
                    "state": "distributed",
                }
                for user in salespeople
            ]
        )

    @classmethod
    def _fill_cdb(cls, partner):
        """Complete the customer database profile where daya_cdb_validation is
        installed (a dealer memo needs a complete CDB)."""
        if "cdb_completeness" not in partner._fields:
            return
        partner.write(
            {
                "street": partner.street or "Jl. Asia Afrika 1",
                "city": partner.city or "Bandung",
                "nik": partner.nik or "3273010202910003",
                "birth_place": "Bandung",
                "birthdate": "1991-02-02",
                "occupation_id": cls.occupation.id,
                "email": partner.email or "customer@example.com",
                "social_media": "@customer",
                "monthly_expense": "2m_3m",
                "house_status": "own",
                "motorcycle_ownership": "1",
                "previous_motorcycle": "none",
                "motorcycle_use": "work",
            }
        )

    @classmethod
    def _lead_vals(cls, **values):
        """Values of a lead that the lead form would accept."""
        return dict(
            {
                "name": "Prospect",
                "lead_category": "prospect",
                "payment_type": "cash",
                "occupation_id": cls.occupation.id,
                "type": "lead",
            },
            **values,
        )


# README's screenshots (docs/screens at the repository's root)
SCREENS_DIR = os.path.join(
    os.path.dirname(__file__), os.pardir, os.pardir, os.pardir, "docs", "screens"
)


class DayaPhoneCase(HttpCase):
    """A 390 x 844 phone: headless Chromium with the phone's viewport, for the
    tours of the phone screens and README's screenshots."""

    browser_size = "390,844"
    touch_enabled = True

    @classmethod
    def start_browser(cls):
        result = super().start_browser()
        # headless Chromium keeps a wider window: emulate the phone's viewport
        cls.browser._websocket_request(
            "Emulation.setDeviceMetricsOverride",
            params={
                "width": 390,
                "height": 844,
                "deviceScaleFactor": 1,
                "mobile": True,
            },
        )
        return result

    def _screenshot(self, login, url, ready, name, pause=1.5):
        """Open ``url`` as ``login``, wait until ``ready`` (a JS expression) and
        a ``pause`` (the graphs' animation), write the page to SCREENS_DIR/name."""
        self.start_browser()
        self.authenticate(login, login)
        self.browser.navigate_to(self.base_url() + url, wait_stop=False)
        self.assertTrue(self.browser._wait_ready(ready, timeout=60), ready)
        time.sleep(pause)
        shot = self.browser._websocket_request(
            "Page.captureScreenshot", params={"format": "png"}
        )
        os.makedirs(SCREENS_DIR, exist_ok=True)
        with open(os.path.join(SCREENS_DIR, name), "wb") as png:
            png.write(base64.b64decode(shot["data"]))
        self.browser.clear()
