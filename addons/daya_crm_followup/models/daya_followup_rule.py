import string

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# What a message template may use (see _render_message).
MESSAGE_PLACEHOLDERS = ("name", "type", "frame", "kpb_date", "branch")


class DayaFollowupRule(models.Model):
    """When a sold motorcycle gets which follow-up, by whom: the SOP as data."""

    _name = "daya.followup.rule"
    _description = "Follow-up Rule"
    _order = "sequence, id"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [
            ("first_call", "First Call"),
            ("stnk", "STNK Notice"),
            ("kpb", "KPB Invitation"),
            ("repeat_order", "Repeat Order Attention"),
        ],
        required=True,
    )
    kpb_number = fields.Integer(string="KPB", help="1 to 4 for KPB invitations.")
    attempt = fields.Integer(
        required=True,
        default=1,
        help="1 for the first contact; 2 and 3 only for customers who did not "
        "respond to the previous one.",
    )
    base_date = fields.Selection(
        [
            ("sale", "Sale Date"),
            ("delivery", "Delivery Date"),
            ("stnk", "STNK Ready Date"),
        ],
        required=True,
        default="sale",
    )
    offset_days = fields.Integer(
        required=True, help="Days after the base date (H+N) the follow-up is due."
    )
    working_days = fields.Boolean(
        help="Count the offset in working days of the branch's calendar (public "
        "holidays excluded)."
    )
    channel = fields.Selection(
        [("whatsapp", "WhatsApp"), ("call", "Call"), ("sms", "SMS")],
        required=True,
        default="call",
    )
    customer_segment = fields.Selection(
        [("all", "All"), ("premium", "Premium"), ("regular", "Regular")],
        required=True,
        default="all",
        help="STNK notices: premium customers are called, regular ones get an SMS.",
    )
    responsible_role = fields.Selection(
        [
            ("admin_h1", "Admin H1"),
            ("pic_crm_h1", "PIC CRM H1"),
            ("pic_crm_h23", "PIC CRM H23"),
            ("sales_force", "Sales Force"),
        ],
        required=True,
    )
    horizon_days = fields.Integer(
        default=30,
        help="A follow-up is not created any more this many days after it was due "
        "(old sales loaded late get no outdated calls).",
    )
    script = fields.Html(
        translate=True, help="What to say: the points of the SOP for this contact."
    )
    message_template = fields.Text(
        translate=True,
        help="WhatsApp or SMS text sent for this follow-up, with {name}, {type}, "
        "{frame}, {kpb_date} and {branch}.",
    )
    previous_rule_id = fields.Many2one(
        "daya.followup.rule", compute="_compute_previous_rule_id"
    )

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a follow-up rule must be unique."),
    ]

    # ------------------------------------------------------------
    # COMPUTES AND CONSTRAINTS
    # ------------------------------------------------------------

    def _compute_previous_rule_id(self):
        rules = self.search([])
        for rule in self:
            rule.previous_rule_id = rules.filtered(
                lambda r, rule=rule: (
                    r.kind == rule.kind
                    and r.kpb_number == rule.kpb_number
                    and r.customer_segment == rule.customer_segment
                    and r.attempt == rule.attempt - 1
                )
            )[:1]

    @api.constrains("message_template")
    def _check_message_template(self):
        for rule in self:
            rule._parse_message_template(rule.message_template)

    @api.constrains("attempt", "kind", "kpb_number", "offset_days")
    def _check_values(self):
        for rule in self:
            if not 1 <= rule.attempt <= 3:
                raise ValidationError(_("A follow-up has 1 to 3 attempts."))
            if rule.kind == "kpb" and not 1 <= rule.kpb_number <= 4:
                raise ValidationError(_("A KPB invitation is for KPB 1 to 4."))
            if rule.offset_days < 0:
                raise ValidationError(_("The offset cannot be negative."))

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _parse_message_template(self, template):
        """The parts of ``template`` as ``string.Formatter().parse`` gives them;
        raises a ValidationError on a placeholder other than MESSAGE_PLACEHOLDERS
        (no attribute, index, format or conversion either) or a lone brace."""
        self.ensure_one()
        accepted = ", ".join("{%s}" % key for key in MESSAGE_PLACEHOLDERS)
        try:
            parts = list(string.Formatter().parse(template or ""))
        except ValueError:
            raise ValidationError(
                _(
                    "The message template of %(rule)s has a lone brace: write the "
                    "placeholders as %(accepted)s, and a brace itself as {{ or }}.",
                    rule=self.name,
                    accepted=accepted,
                )
            ) from None
        for _literal, key, spec, conversion in parts:
            if key is not None and (
                key not in MESSAGE_PLACEHOLDERS or spec or conversion
            ):
                raise ValidationError(
                    _(
                        "Unknown placeholder {%(placeholder)s} in the message "
                        "template of %(rule)s; the accepted ones are %(accepted)s.",
                        placeholder=key + (":" + spec if spec else ""),
                        rule=self.name,
                        accepted=accepted,
                    )
                )
        return parts

    def _render_message(self, values):
        """The rule's message (its name when it has no template) with the
        placeholders replaced by ``values``; raises a ValidationError naming a
        placeholder the template should not have."""
        self.ensure_one()
        text = []
        for literal, key, _spec, _conversion in self._parse_message_template(
            self.message_template or self.name
        ):
            text.append(literal)
            if key is not None:
                text.append(values[key])
        return "".join(text)

    def _base_field(self):
        return {
            "sale": "sale_date",
            "delivery": "delivery_date",
            "stnk": "stnk_ready_date",
        }[self.base_date]

    def _wor_type(self):
        return f"kpb{self.kpb_number}" if self.kind == "kpb" else False
