from datetime import timedelta

from odoo import fields
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common import FollowupCommon

# the menus of Branch Today and of the weekly review
BRANCH_TODAY_MENUS = (
    "daya_crm_followup.menu_daya_branch_today_followups",
    "daya_crm_followup.menu_daya_branch_today_bookings",
    "daya_crm_followup.menu_daya_branch_today_week",
    "daya_crm_followup.menu_daya_followup_week_report",
)
MEASURES = [
    "followed_up:sum",
    "responses:sum",
    "bookings:sum",
    "done_services:sum",
    "booking_done_rate:avg",
    "overdue:sum",
]


@tagged("post_install", "-at_install")
class TestBranchToday(FollowupCommon):
    """Issue 12: Branch Today and the weekly review (memo 000 point 5), the same
    figures per week, within the branch rule, for every role that sees them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["daya.followup.week.report"]
        # the branch's today: the weekly review's dates are in its time zone (a
        # Sunday evening in UTC is already Monday in Jakarta)
        cls.today = fields.Date.context_today(
            cls.Task.with_context(tz=cls.branch_a.tz or "Asia/Jakarta")
        )
        # sold and delivered a month ago: first call and KPB 1 due
        recent = {
            "sale_date": cls.today - timedelta(days=30),
            "delivery_date": cls.today - timedelta(days=30),
            "stnk_ready_date": cls.today - timedelta(days=16),
        }
        cls.rina = cls.env["res.partner"].create({"name": "Rina Week"})
        cls.unit_rina = cls._unit("MH1WEEK0001", cls.rina, cls.branch_a, **recent)
        cls.sari = cls.env["res.partner"].create({"name": "Sari Week"})
        cls.unit_sari = cls._unit("MH1WEEK0002", cls.sari, cls.branch_a, **recent)
        cls.unit_b = cls._unit(
            "MH1WEEKB001",
            cls.env["res.partner"].create({"name": "Budi Week"}),
            cls.branch_b,
            **recent,
        )
        cls.Task._generate_followups(cls.today)

    def _task(self, unit, kind):
        return self.Task.search(
            [
                ("unit_sale_id", "=", unit.id),
                ("kind", "=", kind),
                ("state", "=", "todo"),
            ]
        )

    def _figures(self, user, domain=()):
        """{branch: figures} of the weekly review as ``user`` reads it."""
        groups = self.Report.with_user(user).read_group(
            list(domain), MEASURES, ["branch_id"], lazy=False
        )
        return {
            self.env["daya.branch"].browse(group["branch_id"][0]): {
                name.split(":")[0]: group[name.split(":")[0]] for name in MEASURES
            }
            for group in groups
        }

    def test_week_figures(self):
        """A customer followed up twice in a week counts once; a response is a
        result other than no response or wrong number; a booking made, then done,
        is a booking, a done service and a 100 % booking to done share; a
        follow-up still open after its due date, or done after it, is overdue."""
        rina_first = self._task(self.unit_rina, "first_call")
        rina_kpb = self._task(self.unit_rina, "kpb")
        sari_kpb = self._task(self.unit_sari, "kpb")
        self.assertTrue(rina_first and rina_kpb and sari_kpb)
        rina_first.with_user(self.user_admin_h1_a).action_result_contacted()
        rina_kpb.with_user(self.user_pic_h1_a).action_result_no_response()
        action = sari_kpb.with_user(self.user_pic_h1_a).action_result_booked()
        Booking = self.env["daya.service.booking"].with_user(self.user_pic_h1_a)
        booking = Form(Booking.with_context(**action["context"])).save()
        self.assertEqual(sari_kpb.state, "done")
        monday = self.today - timedelta(days=self.today.weekday())
        this_week = [("date", ">=", monday), ("date", "<=", monday + timedelta(6))]
        figures = self._figures(self.user_branch_head_a, this_week)
        self.assertEqual(list(figures), [self.branch_a], "branch A's head: branch A")
        week = figures[self.branch_a]
        self.assertEqual(
            (week["followed_up"], week["responses"], week["bookings"]), (2, 2, 1)
        )
        self.assertEqual(week["booking_done_rate"], 0.0)
        booking.sudo().action_done()
        everything = self._figures(self.user_branch_head_a)[self.branch_a]
        self.assertEqual(everything["done_services"], 1)
        self.assertEqual(everything["booking_done_rate"], 100.0)
        # overdue: open past the due date, or done after it, by the branch's
        # calendar (its time zone, else WIB), whatever the hour of the run
        local = self.Task.with_context(tz=self.branch_a.tz or "Asia/Jakarta")
        local_today = fields.Date.context_today(local)
        tasks_a = local.search([("branch_id", "=", self.branch_a.id)])
        late = tasks_a.filtered(
            lambda t: (
                (t.state == "todo" and t.due_date < local_today)
                or (
                    t.state == "done"
                    and fields.Datetime.context_timestamp(t, t.done_date).date()
                    > t.due_date
                )
            )
        )
        self.assertIn(rina_first, late, "done a month after its due date")
        self.assertEqual(everything["overdue"], len(late))
        # per person: the admin who recorded it
        by_user = self.Report.with_user(self.user_branch_head_a).read_group(
            this_week + [("followed_up", "=", 1)], ["followed_up:sum"], ["user_id"]
        )
        self.assertEqual(
            sorted(g["user_id"][0] for g in by_user),
            sorted((self.user_admin_h1_a | self.user_pic_h1_a).ids),
        )

    def test_branch_rule(self):
        """Each head reads their own branch; the area coordinator theirs; head
        office every branch."""
        self.assertEqual(set(self._figures(self.user_branch_head_a)), {self.branch_a})
        self.assertEqual(set(self._figures(self.user_branch_head_b)), {self.branch_b})
        self.assertLessEqual(
            {self.branch_a, self.branch_b}, set(self._figures(self.user_head_office))
        )
        rows_b = self.Report.search([("branch_id", "=", self.branch_b.id)])
        self.assertTrue(rows_b)
        self.assertFalse(
            self.Report.with_user(self.user_branch_head_a).search(
                [("id", "in", rows_b.ids)]
            )
        )

    def test_every_role_opens_its_menus(self):
        """Whoever sees a menu of Branch Today or the weekly review opens its
        views and figures without an access error."""
        roles = self.role_users_a
        menus = [self.env.ref(xmlid) for xmlid in BRANCH_TODAY_MENUS]
        seen = {}
        for user in roles:
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            for menu in menus:
                # on the screen: the menu and each menu above it
                if not set(map(int, menu.parent_path.split("/")[:-1])) <= visible:
                    continue
                seen.setdefault(user.login, []).append(menu.name)
                action = menu.action.sudo()
                Model = self.env[action.res_model].with_user(user)
                domain = safe_eval(action.domain or "[]")
                Model.get_views(
                    [(False, mode) for mode in action.view_mode.split(",")]
                    + [(False, "search")]
                )
                Model.search_read(domain, limit=80)
                Model.read_group(domain, [], ["branch_id", "user_id"], lazy=False)
        self.assertEqual(
            set(seen),
            {
                "t_pich1_a",
                "t_pich23_a",
                "t_kabeng_a",
                "t_kacab_a",
                "t_area",
                "t_ho",
            },
        )
        self.assertEqual(len(seen["t_kacab_a"]), 4)
        self.assertEqual(seen["t_pich1_a"], ["Weekly Review"])

    def test_words_in_indonesian(self):
        """Issue 12, words: the after-sales menu and the repeat order rule in
        Bahasa Indonesia, and the weekly review."""
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(
            ["daya_crm_followup"], ["id_ID"], overwrite=True
        )
        env_id = self.env(context=dict(self.env.context, lang="id_ID"))
        self.assertEqual(
            env_id.ref("daya_crm_followup.menu_daya_followup").name, "Purna Jual"
        )
        rule = env_id.ref("daya_crm_followup.rule_repeat_order")
        self.assertEqual(rule.name, "Pengingat Repeat Order (2 tahun)")
        self.assertEqual(
            env_id.ref("daya_crm_followup.daya_followup_week_report_action").name,
            "Tinjauan Mingguan",
        )
        self.assertEqual(
            env_id["daya.followup.week.report"]
            ._fields["followed_up"]
            ._description_string(env_id),
            "Konsumen Di-follow Up",
        )
