import pytz
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

# Months a KPB coupon stays valid after the sale (Honda's service booklet).
KPB_VALID_MONTHS = {"kpb1": 2, "kpb2": 4, "kpb3": 8, "kpb4": 12}
ROLE_GROUPS = {
    "pic_crm_h1": "daya_crm_leads.group_daya_pic_crm_h1",
    "pic_crm_h23": "daya_crm_leads.group_daya_pic_crm_h23",
}
FOLLOW_UP_STATES = ["new", "fu1", "fu2", "fu3"]
OPEN_STATES = FOLLOW_UP_STATES
# state → states it may go to
TRANSITIONS = {
    "new": {"fu1", "fu2", "fu3", "booked", "lost"},
    "fu1": {"fu2", "fu3", "booked", "lost"},
    "fu2": {"fu3", "booked", "lost"},
    "fu3": {"booked", "lost"},
    "booked": {"done", "new", "fu1", "fu2", "fu3", "lost"},
    "done": set(),
    "lost": set(),
}


class DayaWorLead(models.Model):
    """A workshop prospect: a customer's motorcycle to bring back to the AHASS."""

    _name = "daya.wor.lead"
    _description = "Workshop Lead (WOR)"
    _inherit = ["daya.branch.mixin", "mail.thread"]
    _order = "id desc"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    unit_sale_id = fields.Many2one("daya.unit.sale", string="Motorcycle", index=True)
    product_id = fields.Many2one(related="unit_sale_id.product_id", string="Model")
    frame_number = fields.Char(related="unit_sale_id.frame_number")
    sale_date = fields.Date(related="unit_sale_id.sale_date")
    branch_id = fields.Many2one(required=True)
    wor_type = fields.Selection(
        [
            ("kpb1", "KPB 1"),
            ("kpb2", "KPB 2"),
            ("kpb3", "KPB 3"),
            ("kpb4", "KPB 4"),
            ("regular", "Regular"),
        ],
        string="Type",
        required=True,
        default="regular",
        index=True,
    )
    origin = fields.Selection(
        [("h1_h2", "H1 to H2"), ("h2_h2", "H2 to H2")],
        required=True,
        default="h1_h2",
        help="H1 to H2: a motorcycle sold by the dealer; H2 to H2: a workshop "
        "customer.",
    )
    responsible_role = fields.Selection(
        [("pic_crm_h1", "PIC CRM H1"), ("pic_crm_h23", "PIC CRM H23")],
        compute="_compute_responsible_role",
        store=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("fu1", "Follow Up 1"),
            ("fu2", "Follow Up 2"),
            ("fu3", "Follow Up 3"),
            ("booked", "Booked"),
            ("done", "Done"),
            ("lost", "Lost"),
        ],
        default="new",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    state_before_booking = fields.Char(copy=False)
    lost_reason = fields.Selection(
        [
            ("serviced_elsewhere", "Serviced at another dealer"),
            ("kpb_expired", "KPB period ended"),
            ("refused", "Refused"),
            ("unreachable", "Unreachable"),
            ("sold", "Motorcycle sold or gone"),
            ("other", "Other"),
        ],
        tracking=True,
        copy=False,
    )
    weekdays_impossible = fields.Boolean(
        string="Weekdays Confirmed Impossible",
        tracking=True,
        help="The customer confirmed that no weekday works: offer a weekend slot.",
    )
    kpb_valid_until = fields.Date(compute="_compute_kpb_valid_until", store=True)
    booking_ids = fields.One2many("daya.service.booking", "wor_lead_id")
    booking_count = fields.Integer(compute="_compute_booking_count")

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("wor_type", "partner_id.name", "unit_sale_id.frame_number")
    def _compute_name(self):
        labels = dict(self._fields["wor_type"].selection)
        for lead in self:
            parts = [labels.get(lead.wor_type), lead.partner_id.name]
            if lead.unit_sale_id:
                parts.append(lead.unit_sale_id.frame_number)
            lead.name = " - ".join(filter(None, parts))

    @api.depends("wor_type", "origin")
    def _compute_responsible_role(self):
        # memo 005/IM/MKT/VII/2020: H1 to H2 KPB 1 is PIC CRM H1's, the rest PIC CRM
        # H23's (counter part / general workshop admin)
        for lead in self:
            lead.responsible_role = (
                "pic_crm_h1"
                if lead.origin == "h1_h2" and lead.wor_type == "kpb1"
                else "pic_crm_h23"
            )

    @api.depends("responsible_role", "branch_id")
    def _compute_user_id(self):
        """A user holding the responsible role in the branch: one search for all."""
        leads = self.filtered(lambda lead: not lead.user_id and lead.branch_id)
        if not leads:
            return
        supervisors = self.env.ref(
            "daya_crm_leads.group_daya_branch_head"
        ) | self.env.ref("daya_crm_leads.group_daya_workshop_head")
        groups = {role: self.env.ref(xmlid) for role, xmlid in ROLE_GROUPS.items()}
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("branch_id", "in", leads.branch_id.ids),
                    ("groups_id", "in", [g.id for g in groups.values()]),
                    ("share", "=", False),
                ],
                order="id",
            )
        )
        for lead in leads:
            staff = users.filtered(
                lambda u, lead=lead: (
                    u.branch_id == lead.branch_id
                    and groups[lead.responsible_role] in u.groups_id
                )
            )
            direct = staff.filtered(lambda u: not (u.groups_id & supervisors))
            lead.user_id = (direct or staff)[:1]

    @api.depends("wor_type", "unit_sale_id.sale_date")
    def _compute_kpb_valid_until(self):
        for lead in self:
            months = KPB_VALID_MONTHS.get(lead.wor_type)
            lead.kpb_valid_until = (
                lead.unit_sale_id.sale_date + relativedelta(months=months)
                if months and lead.unit_sale_id.sale_date
                else False
            )

    def _compute_booking_count(self):
        for lead in self:
            lead.booking_count = len(lead.booking_ids)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if "state" in vals:
            self._check_transition(vals["state"], vals)
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_follow_up(self):
        """Record that the next follow-up happened: new → FU1 → FU2 → FU3."""
        for lead in self:
            if lead.state not in ("new", "fu1", "fu2"):
                raise UserError(_("Only a lead in follow-up moves to the next one."))
            lead.state = FOLLOW_UP_STATES[FOLLOW_UP_STATES.index(lead.state) + 1]
        return True

    def action_set_lost(self):
        for lead in self:
            if not lead.lost_reason:
                raise UserError(_("Give the reason why the workshop lead is lost."))
        self.write({"state": "lost"})
        return True

    def action_serviced_elsewhere(self):
        self.write({"lost_reason": "serviced_elsewhere", "state": "lost"})
        return True

    def action_offer_weekend(self):
        """No time on weekdays (confirmed): book a weekend slot, the next free one
        proposed."""
        self.ensure_one()
        self.weekdays_impossible = True
        action = self._action_new_booking("weekend")
        slots = self._weekend_slots()
        if slots:
            action["context"]["default_start"] = fields.Datetime.to_string(slots[0])
        return action

    def action_offer_home_service(self):
        """Too far: the mechanic comes to the customer."""
        return self._action_new_booking("home_service")

    def action_offer_promo(self):
        """Disappointed or prefers another dealer: a booking with a promotion."""
        return self._action_new_booking("promo")

    def action_book(self):
        return self._action_new_booking("workshop")

    def action_view_bookings(self):
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "name": _("Bookings"),
            "res_model": "daya.service.booking",
            "view_mode": "tree,form",
            "domain": [("wor_lead_id", "=", self.id)],
            "context": self._booking_context("workshop"),
        }
        if len(self.booking_ids) == 1:
            action.update(view_mode="form", res_id=self.booking_ids.id)
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _check_transition(self, new_state, vals):
        labels = dict(self._fields["state"].selection)
        for lead in self:
            if lead.state == new_state:
                continue
            if new_state not in TRANSITIONS[lead.state]:
                raise UserError(
                    _(
                        "A workshop lead cannot go from %(old)s to %(new)s.",
                        old=labels[lead.state],
                        new=labels[new_state],
                    )
                )
            if new_state == "lost" and not (
                vals.get("lost_reason") or lead.lost_reason
            ):
                raise UserError(_("Give the reason why the workshop lead is lost."))

    def _booking_context(self, kind):
        return {
            "default_partner_id": self.partner_id.id,
            "default_unit_sale_id": self.unit_sale_id.id,
            "default_wor_lead_id": self.id,
            "default_branch_id": self.branch_id.id,
            "default_booking_kind": kind,
            "default_service_type": self.wor_type,
        }

    def _action_new_booking(self, kind):
        self.ensure_one()
        if self.state not in OPEN_STATES:
            raise UserError(_("This workshop lead is already booked or closed."))
        labels = dict(
            self.env["daya.service.booking"]._fields["booking_kind"].selection
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Book: %s", labels[kind]),
            "res_model": "daya.service.booking",
            "view_mode": "form",
            "target": "new",
            "context": self._booking_context(kind),
        }

    def _weekend_slots(self, count=3):
        """The next free weekend slots of the branch, as UTC datetimes."""
        booking = self.env["daya.service.booking"].new(
            {"branch_id": self.branch_id.id, "booking_kind": "weekend"}
        )
        tz = booking._tz()
        return [
            tz.localize(slot).astimezone(pytz.utc).replace(tzinfo=None)
            for slot in booking._next_free_slots(fields.Datetime.now(), count)
        ]

    def _on_booking(self):
        for lead in self.filtered(lambda lead: lead.state in OPEN_STATES):
            lead.write({"state_before_booking": lead.state, "state": "booked"})

    def _on_booking_no_show(self):
        """A no-show reopens the lead for follow-up where it was."""
        for lead in self.filtered(lambda lead: lead.state == "booked"):
            lead.state = lead.state_before_booking or "new"
