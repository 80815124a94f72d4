import re
import string

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

# The placeholders of the templates before they were rendered with Odoo's
# ``mail.render.mixin`` (``{name}``), and the expression on the follow-up task each
# one became (the migration to 16.0.1.1.0 converts them; one written by hand since
# is refused, with the expression to write instead).
LEGACY_PLACEHOLDERS = {
    "name": "object.partner_id.name",
    "type": "object.product_id.name",
    "frame": "object.frame_number",
    "kpb_date": "format_date(object.kpb_valid_until, 'dd/MM/yyyy')",
    "branch": "object.branch_id.name",
}
LEGACY_PLACEHOLDER_RE = re.compile(
    r"(?<!\{)\{(%s)\}(?!\})" % "|".join(LEGACY_PLACEHOLDERS)
)


def convert_legacy_template(template):
    """``template`` in the old syntax (``{name}``, a brace itself ``{{``) as an
    inline template (``{{ object.partner_id.name }}``). Returned as it is: a
    template without an old placeholder (already an inline template, or plain
    text), and one the old code could not render either (a lone brace, an unknown
    placeholder)."""
    if not template or not LEGACY_PLACEHOLDER_RE.search(template):
        return template
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        return template
    text = []
    for literal, key, spec, conversion in parts:
        if key is not None and (key not in LEGACY_PLACEHOLDERS or spec or conversion):
            return template
        # a literal "{{" would open an expression now
        text.append(literal.replace("{{", "{{ '{{' }}"))
        if key is not None:
            text.append("{{ %s }}" % LEGACY_PLACEHOLDERS[key])
    return "".join(text)


class DayaFollowupRule(models.Model):
    """When a sold motorcycle gets which follow-up, by whom: the SOP as data."""

    _name = "daya.followup.rule"
    _inherit = ["mail.render.mixin"]
    _description = "Follow-up Rule"
    _order = "sequence, id"
    # as ``sms.template``: the templates are trusted when rendered, and only the
    # group "Mail Template Editor" writes a dynamic one (checked by the mixin)
    _unrestricted_rendering = True

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
        help="WhatsApp or SMS text sent for this follow-up, rendered on the "
        "follow-up task: {{ object.partner_id.name }}, {{ object.product_id.name }}, "
        "{{ object.frame_number }}, {{ format_date(object.kpb_valid_until, "
        "'dd/MM/yyyy') }}, {{ object.branch_id.name }}.",
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

    def _compute_render_model(self):
        self.render_model = "daya.followup.task"

    @api.constrains("message_template")
    def _check_message_template(self):
        """Render each template on a blank follow-up task: a field that does not
        exist, an old ``{name}`` placeholder or an expression that fails is
        refused when the rule is saved, not in the sending cron."""
        blank = self.env["daya.followup.task"].new({})
        for rule in self.filtered("message_template"):
            legacy = LEGACY_PLACEHOLDER_RE.search(rule.message_template)
            if legacy:
                raise ValidationError(
                    _(
                        "The message template of %(rule)s uses the old placeholder "
                        "%(placeholder)s: write {{ %(expression)s }} instead.",
                        rule=rule.name,
                        placeholder=legacy.group(0),
                        expression=LEGACY_PLACEHOLDERS[legacy.group(1)],
                    )
                )
            try:
                rule._render_template(
                    rule.message_template, rule.render_model, [blank.id]
                )
            except UserError as error:
                raise ValidationError(
                    _(
                        "The message template of %(rule)s cannot be rendered: "
                        "%(error)s\nWrite the values of the follow-up as "
                        "{{ object.partner_id.name }} (a field of the follow-up task "
                        "or of its customer, motorcycle or branch).",
                        rule=rule.name,
                        error=error.args[0],
                    )
                ) from None

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

    def _render_lang(self, res_ids, engine="inline_template"):
        """Each follow-up task's message is in its customer's language, Bahasa
        Indonesia when the customer has none (the mixin's ``lang`` is not used)."""
        tasks = self.env[self.render_model].browse(res_ids)
        return {task.id: task.partner_id.lang or "id_ID" for task in tasks}

    def _base_field(self):
        return {
            "sale": "sale_date",
            "delivery": "delivery_date",
            "stnk": "stnk_ready_date",
        }[self.base_date]

    def _wor_type(self):
        return f"kpb{self.kpb_number}" if self.kind == "kpb" else False
