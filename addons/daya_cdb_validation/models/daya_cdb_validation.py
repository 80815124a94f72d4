import hashlib
import re
import secrets
from datetime import timedelta

from markupsafe import escape
from psycopg2.sql import SQL, Identifier

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import column_exists, consteq, email_normalize, format_date

from odoo.addons.daya_base.tools import (
    nik_problem,
    normalize_nik,
    phone_normalize,
)

from .res_partner import CDB_ITEMS

# 32 random bytes: 256 bits, written as 43 URL-safe characters.
TOKEN_BYTES = 32
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")
DEFAULT_VALIDITY_DAYS = 14
VALIDITY_PARAM = "daya_cdb_validation.validity_days"
REVIEWER_GROUPS = "daya_base.group_daya_admin_stnk,daya_base.group_daya_pic_crm_h1"
# The context key holding the clear token of a link just sent (see access_token).
TOKEN_CONTEXT_KEY = "daya_cdb_token"
# Changed only by the validation's own methods, never by a direct write.
PROTECTED_FIELDS = {
    "state",
    "access_token_hash",
    "expires_at",
    "partner_id",
    "submitted_at",
    "consent_at",
    "reviewed_at",
    "customer_note",
    "line_ids",
    "link_message_state",
    "link_message_note",
}
TEXT_MAX_LENGTH = 256
NOTE_MAX_LENGTH = 1000
SELECT_FIELDS = {
    "monthly_expense",
    "house_status",
    "motorcycle_ownership",
    "previous_motorcycle",
    "motorcycle_use",
}


class DayaCdbValidation(models.Model):
    """One request to a customer to validate their customer database (CDB).

    The customer opens ``/cdb/validate/<token>``. The token is 256 random bits,
    never stored: the request keeps only its SHA-256 (indexed, administrators
    only), cleared when the link is used or expires. The clear token exists only
    while the link is sent: it goes to the customer (email, WhatsApp/SMS) and is
    shown once to the sender (``access_token`` and ``validation_url`` are
    computed from the context of that one answer). See ``_get_by_token``.
    """

    _name = "daya.cdb.validation"
    _description = "CDB Validation"
    _inherit = [
        "daya.branch.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "daya.restricted.fields.mixin",
    ]
    _order = "sent_at desc, id desc"
    _branch_scoped_fields = ("unit_sale_id",)

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    branch_id = fields.Many2one(required=True, readonly=True)
    company_id = fields.Many2one(related="branch_id.company_id", store=True, index=True)
    unit_sale_id = fields.Many2one("daya.unit.sale", readonly=True, index=True)
    access_token = fields.Char(
        compute="_compute_access_token",
        search="_search_access_token",
        groups=REVIEWER_GROUPS,
        help="The secret of the customer's link, shown once to the sender right "
        "after sending; never stored (the request keeps only its hash).",
    )
    access_token_hash = fields.Char(
        readonly=True, copy=False, index=True, groups="base.group_system"
    )
    validation_url = fields.Char(
        string="Validation Link",
        compute="_compute_validation_url",
        groups=REVIEWER_GROUPS,
    )
    customer_lang = fields.Char(compute="_compute_customer_lang")
    expires_at = fields.Datetime(string="Expires On", required=True, readonly=True)
    state = fields.Selection(
        [
            ("sent", "Sent"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("expired", "Expired"),
        ],
        default="sent",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    link_message_state = fields.Selection(
        [("sent", "Sent"), ("not_sent", "Not Sent")],
        string="WhatsApp / SMS",
        readonly=True,
        copy=False,
        help="Whether the last link went out by WhatsApp or SMS.",
    )
    link_message_note = fields.Char(
        string="WhatsApp / SMS Note",
        readonly=True,
        copy=False,
        help="The channel that sent the last link, or why it was not sent.",
    )
    reviewer_id = fields.Many2one(
        "res.users",
        tracking=True,
        index=True,
        help="Admin STNK where the branch has the full structure (ADH, Admin STNK, "
        "Sales Admin), otherwise the PIC CRM.",
    )
    sent_at = fields.Datetime(
        string="Sent On", default=fields.Datetime.now, readonly=True, index=True
    )
    submitted_at = fields.Datetime(string="Submitted On", readonly=True)
    consent_at = fields.Datetime(
        string="Consent Given On",
        readonly=True,
        help="When the customer agreed to the use of their data.",
    )
    reviewed_at = fields.Datetime(string="Reviewed On", readonly=True)
    customer_note = fields.Text(string="Customer's Note", readonly=True)
    line_ids = fields.One2many(
        "daya.cdb.validation.line", "validation_id", string="Answers", readonly=True
    )
    corrected_count = fields.Integer(
        string="Corrections", compute="_compute_corrected_count"
    )
    nik_warning = fields.Char(
        string="NIK Check",
        compute="_compute_nik_warning",
        help="The customer's answers contradict the birth date or gender encoded in "
        "the NIK.",
    )
    nik_mismatch_confirmed = fields.Boolean(
        string="NIK Mismatch Confirmed",
        tracking=True,
        help="The reviewer checked the KTP: approve the answers although they do not "
        "match the NIK.",
    )
    can_review = fields.Boolean(compute="_compute_can_review")
    # measures of the figures (pivot / graph)
    nb_sent = fields.Integer(string="Validations Sent", default=1, readonly=True)
    nb_submitted = fields.Integer(
        string="Validations Submitted", compute="_compute_figures", store=True
    )
    nb_approved = fields.Integer(
        string="Validations Approved", compute="_compute_figures", store=True
    )
    nb_rejected = fields.Integer(
        string="Validations Rejected", compute="_compute_figures", store=True
    )
    nb_expired = fields.Integer(
        string="Validations Expired", compute="_compute_figures", store=True
    )

    _sql_constraints = [
        (
            "access_token_hash_uniq",
            "unique(access_token_hash)",
            "A validation link must be unique.",
        ),
    ]

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends_context(TOKEN_CONTEXT_KEY)
    @api.depends("access_token_hash")
    def _compute_access_token(self):
        """The token of the context when it opens this request (the answer that
        sent the link), else nothing: the database has no token to give."""
        token = self.env.context.get(TOKEN_CONTEXT_KEY)
        digest = self._hash_token(token) if isinstance(token, str) else False
        for validation in self:
            stored = validation.sudo().access_token_hash
            validation.access_token = (
                token if digest and stored and consteq(stored, digest) else False
            )

    def _search_access_token(self, operator, value):
        raise UserError(
            _("A validation link is stored nowhere: no search by its token.")
        )

    @api.depends_context(TOKEN_CONTEXT_KEY)
    @api.depends("access_token")
    def _compute_validation_url(self):
        for validation in self:
            validation.validation_url = (
                f"{validation.get_base_url()}/cdb/validate/{validation.access_token}"
                if validation.access_token
                else False
            )

    def _compute_customer_lang(self):
        lang = self._public_lang()
        for validation in self:
            validation.customer_lang = lang

    @api.depends("line_ids.answer")
    def _compute_corrected_count(self):
        for validation in self:
            validation.corrected_count = len(
                validation.line_ids.filtered(lambda line: line.answer == "corrected")
            )

    @api.depends(
        "line_ids.new_value_raw",
        "line_ids.decision",
        "partner_id.nik",
        "partner_id.birthdate",
        "partner_id.gender",
    )
    def _compute_nik_warning(self):
        for validation in self:
            values = validation._cdb_proposed_values()
            partner = validation.partner_id
            # False, not "", when the answers match: the form hides the warning
            # on False only
            validation.nik_warning = (
                "; ".join(
                    partner._cdb_nik_mismatches(
                        values.get("nik", partner.nik),
                        values.get("birthdate", partner.birthdate),
                        partner.gender,
                    )
                )
                or False
            )

    @api.depends_context("uid")
    @api.depends("reviewer_id", "state")
    def _compute_can_review(self):
        is_head = self.env.user.has_group("daya_base.group_daya_branch_head")
        for validation in self:
            validation.can_review = validation.state == "submitted" and (
                is_head or validation.reviewer_id == self.env.user
            )

    @api.depends("state", "submitted_at")
    def _compute_figures(self):
        for validation in self:
            validation.nb_submitted = 1 if validation.submitted_at else 0
            validation.nb_approved = 1 if validation.state == "approved" else 0
            validation.nb_rejected = 1 if validation.state == "rejected" else 0
            validation.nb_expired = 1 if validation.state == "expired" else 0

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def _auto_init(self):
        """Links sent before the tokens were hashed only kept them in clear in an
        ``access_token`` column: drop it (those links keep working by their
        hash)."""
        result = super()._auto_init()
        if column_exists(self.env.cr, self._table, "access_token"):
            self.env.cr.execute(
                SQL("ALTER TABLE {} DROP COLUMN access_token").format(
                    Identifier(self._table)
                )
            )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        Sequence = self.env["ir.sequence"]
        Branch = self.env["daya.branch"]
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = Sequence.next_by_code("daya.cdb.validation") or "/"
            # an unknown secret until the link is sent (_renew_token)
            vals.update(self._new_token_vals(secrets.token_urlsafe(TOKEN_BYTES)))
            if not vals.get("reviewer_id"):
                branch = Branch.browse(vals.get("branch_id")) or self.env.user.branch_id
                vals["reviewer_id"] = self._get_reviewer(branch).id
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and PROTECTED_FIELDS & set(vals):
            raise UserError(
                _(
                    "The customer, answers, state and link of a validation change "
                    "only through its buttons."
                )
            )
        if (
            "reviewer_id" in vals
            and not self.env.su
            and not self.env.user.has_group("daya_base.group_daya_branch_head")
        ):
            raise UserError(_("Only the branch head assigns another reviewer."))
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_resend(self):
        """Send a new link (the previous one stops working) valid from today; the
        form shows the new link once to the sender. Only who may change the
        validation sends it again: the renewal itself runs as the system."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        for validation in self:
            if validation.state != "sent":
                raise UserError(
                    _("Only a validation waiting for the customer can be sent again.")
                )
        sent = self.browse()
        for validation in self:
            sent = validation._renew_token()._send_link()
        return sent._get_form_action() if len(self) == 1 else True

    def action_approve_all(self):
        self._check_can_review()
        self.line_ids.filtered(
            lambda line: line.answer == "corrected" and not line.decision
        )._decide("approve")
        self._finalize("approved")
        return True

    def action_reject_all(self):
        self._check_can_review()
        self.line_ids.filtered(
            lambda line: line.answer == "corrected" and not line.decision
        )._decide("reject")
        self._finalize("rejected")
        return True

    def action_view_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "view_mode": "form",
            "res_id": self.partner_id.id,
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS: sending
    # ------------------------------------------------------------

    @api.model
    def _public_lang(self):
        """The customers' pages and messages are in Bahasa Indonesia (when the
        language is installed)."""
        installed = dict(self.env["res.lang"].get_installed())
        return "id_ID" if "id_ID" in installed else "en_US"

    @api.model
    def _validity_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param(VALIDITY_PARAM)
        try:
            days = int(value)
        except (TypeError, ValueError):
            days = DEFAULT_VALIDITY_DAYS
        return days if days > 0 else DEFAULT_VALIDITY_DAYS

    @api.model
    def _new_token_vals(self, token):
        return {
            "access_token_hash": self._hash_token(token),
            "expires_at": fields.Datetime.now() + timedelta(days=self._validity_days()),
            "sent_at": fields.Datetime.now(),
        }

    @api.model
    def _hash_token(self, token):
        return hashlib.sha256(token.encode()).hexdigest()

    def _renew_token(self):
        """Give the request a new link; returns the request in the context holding
        its clear token (the only place it exists), to send and show it."""
        self.ensure_one()
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self.sudo().write(self._new_token_vals(token))
        return self.with_context(**{TOKEN_CONTEXT_KEY: token})

    @api.model
    def _create_and_send(self, partner, unit_sale=None):
        """Admin STNK sends ``partner`` a new validation link; an earlier link still
        waiting for the customer stops working."""
        partner.ensure_one()
        if not self.env.user.has_group(
            "daya_base.group_daya_admin_stnk"
        ) and not self.env.user.has_group("daya_base.group_daya_pic_crm_h1"):
            raise UserError(
                _("Only Admin STNK or the PIC CRM sends customers a validation link.")
            )
        if partner.is_company:
            raise UserError(_("A validation link is sent to a person, not a company."))
        branch = (unit_sale and unit_sale.branch_id) or self.env.user.branch_id
        if not branch:
            raise UserError(_("Choose your current branch before sending a link."))
        waiting = self.search([("partner_id", "=", partner.id), ("state", "=", "sent")])
        waiting._expire()
        validation = self.create(
            {
                "partner_id": partner.id,
                "branch_id": branch.id,
                "unit_sale_id": unit_sale.id if unit_sale else False,
            }
        )
        return validation._renew_token()._send_link()

    def _send_link(self):
        """Send the link of the context's token (``_renew_token``); returns self."""
        template = self.env.ref("daya_cdb_validation.mail_template_cdb_validation")
        template = template.with_context(
            **{TOKEN_CONTEXT_KEY: self.env.context.get(TOKEN_CONTEXT_KEY)}
        )
        for validation in self:
            channels = []
            if validation.partner_id.email:
                # not linked to the record: the link stays out of its chatter
                template.send_mail(
                    validation.id,
                    email_values={"model": False, "res_id": False},
                )
                channels.append(_("email %s", validation.partner_id.email))
            channels += validation._send_validation_link_other_channels() or []
            not_sent = (
                validation.link_message_state == "not_sent"
                and validation.link_message_note
            )
            if channels:
                body = _(
                    "Validation link sent by %(channels)s, valid until %(date)s.",
                    channels=", ".join(channels),
                    date=format_date(self.env, validation.expires_at),
                )
            else:
                body = _(
                    "The customer has no email address: copy the validation link and "
                    "send it to them."
                )
            if not_sent:
                body = " ".join(
                    [
                        body,
                        _(
                            "Not sent by WhatsApp / SMS: %s",
                            validation.link_message_note,
                        ),
                    ]
                )
            validation.message_post(body=escape(body), subtype_xmlid="mail.mt_note")
        return self

    def _send_validation_link_other_channels(self):
        """Hook: send the link of the context's token by WhatsApp / SMS and record
        the outcome with ``_record_link_message``. Returns the channels used (their
        labels). Without the follow-up addon (daya_crm_followup, whose message
        gateways send it) no channel exists: the link is recorded as not sent."""
        self.ensure_one()
        self._record_link_message(False, _("No WhatsApp or SMS channel is installed."))
        return []

    def _record_link_message(self, sent, note):
        """Record whether the link went out by WhatsApp / SMS (a system step of
        the sending: nobody writes these fields)."""
        self.sudo().write(
            {
                "link_message_state": "sent" if sent else "not_sent",
                "link_message_note": note,
            }
        )

    def _expire(self):
        self.sudo().write({"state": "expired", "access_token_hash": False})

    @api.model
    def _cron_expire(self):
        """Links past their date expire."""
        self.search(
            [("state", "=", "sent"), ("expires_at", "<=", fields.Datetime.now())]
        )._expire()

    def _get_form_action(self):
        """The request's form; right after sending, it shows the link once (the
        token travels in this action's context, never in the database)."""
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "view_mode": "form",
            "res_id": self.id,
        }
        if self.env.context.get(TOKEN_CONTEXT_KEY):
            action["context"] = {TOKEN_CONTEXT_KEY: self.env.context[TOKEN_CONTEXT_KEY]}
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS: the customer's page
    # ------------------------------------------------------------

    @api.model
    def _get_by_token(self, token):
        """The validation a customer's token opens, or an empty recordset when the
        token is wrong, expired, used or of no request.

        The customer is not a user: read with the system's rights. The lookup is by
        the SHA-256 of the token (an index lookup reveals nothing usable about the
        secret), then the secret itself is compared in constant time."""
        empty = self.browse()
        if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
            return empty
        digest = self._hash_token(token)
        validation = self.sudo().search([("access_token_hash", "=", digest)], limit=1)
        if not validation or not consteq(validation.access_token_hash or "", digest):
            return empty
        if validation.state != "sent" or validation.expires_at <= fields.Datetime.now():
            return empty
        return validation

    def _cdb_input_labels(self):
        return {
            "name": _("Full name as on the KTP"),
            "street": _("Street, number, RT/RW"),
            "city": _("City / regency"),
            "nik": _("NIK (16 digits on the KTP)"),
            "mobile": _("Mobile number"),
            "birth_place": _("Place of birth"),
            "birthdate": _("Date of birth"),
            "occupation_id": _("Occupation"),
            "email": _("Email"),
            "social_media": _("Social media account"),
            "monthly_expense": _("Monthly expense"),
            "house_status": _("House status"),
            "motorcycle_ownership": _("Motorcycle ownership"),
            "previous_motorcycle": _("Previous motorcycle"),
            "motorcycle_use": _("Motorcycle use"),
        }

    def _cdb_options(self, fname):
        Partner = self.env["res.partner"]
        if fname == "occupation_id":
            # the job list is short (the principal's CDB codes)
            occupations = self.env["daya.occupation"].sudo().search([], limit=200)
            return [(str(occ.id), occ.name) for occ in occupations]
        return Partner._fields[fname]._description_selection(self.env)

    def _customer_page_values(self, post=None, errors=None):
        """What the customer's page shows: the 13 items, the NIK masked."""
        self.ensure_one()
        partner = self.partner_id
        labels = self.env["res.partner"]._cdb_item_labels()
        input_labels = self._cdb_input_labels()
        posted = post is not None
        post = post or {}
        missing = partner._cdb_missing_items()
        items = []
        for item, fnames in CDB_ITEMS:
            inputs = []
            for fname in fnames:
                current = self._cdb_raw(fname, partner[fname])
                if fname == "nik":
                    current = ""  # never put the full NIK in the page
                # echo at most what an answer may hold (a 5 MB field stays out)
                value = (
                    (post.get(f"value_{fname}") or "")[:TEXT_MAX_LENGTH]
                    if posted
                    else current
                )
                input_type = {
                    "birthdate": "date",
                    "email": "email",
                    "mobile": "tel",
                }.get(fname, "text")
                if fname in SELECT_FIELDS or fname == "occupation_id":
                    input_type = "select"
                inputs.append(
                    {
                        "name": f"value_{fname}",
                        "id": f"o_daya_cdb_value_{fname}",
                        "label": input_labels[fname],
                        "type": input_type,
                        "value": value,
                        "options": self._cdb_options(fname)
                        if input_type == "select"
                        else [],
                        "inputmode": "numeric" if fname == "nik" else False,
                    }
                )
            items.append(
                {
                    "key": item,
                    "label": labels[item],
                    "current": self._cdb_item_display(item, partner, masked=True),
                    # what we don't have can't be confirmed: the customer fills it
                    "missing": item in missing,
                    "answer": post.get(f"answer_{item}")
                    if posted
                    else ("corrected" if item in missing else None),
                    "error": (errors or {}).get(item),
                    "inputs": inputs,
                }
            )
        return {
            "validation": self,
            "company_name": self.company_id.name,
            "customer_name": partner.name,
            "items": items,
            "errors": errors or {},
            "note": (post.get("customer_note") or "")[:NOTE_MAX_LENGTH],
            "consent": bool(post.get("consent")),
            "expires_on": format_date(self.env, self.expires_at),
        }

    def _parse_customer_answers(self, post):
        """Check the customer's form. Returns ``(errors, answers, new_values)``:
        errors by item, the answer of each item, the corrected customer values."""
        self.ensure_one()
        partner = self.partner_id
        missing = partner._cdb_missing_items()
        errors, answers, new_values = {}, {}, {}
        for item, fnames in CDB_ITEMS:
            answer = post.get(f"answer_{item}")
            if answer not in ("confirmed", "corrected"):
                errors[item] = _("Choose 'This is correct' or 'Correct it'.")
                continue
            if answer == "confirmed" and item in missing:
                errors[item] = _("We don't have this data yet: fill it in.")
                continue
            answers[item] = answer
            if answer == "confirmed":
                continue
            changed = {}
            for fname in fnames:
                value, error = self._cdb_parse_value(fname, post.get(f"value_{fname}"))
                if error:
                    errors[item] = error
                    break
                if self._cdb_raw(fname, value) != self._cdb_raw(fname, partner[fname]):
                    changed[fname] = value
            if item in errors:
                continue
            if not changed:
                errors[item] = _(
                    "Enter the right data, or choose 'This is correct' if it is."
                )
                continue
            new_values.update(changed)
        note = post.get("customer_note") or ""
        if len(note) > NOTE_MAX_LENGTH:
            errors["customer_note"] = _(
                "At most %(max)s characters, please (your note has %(count)s).",
                max=NOTE_MAX_LENGTH,
                count=len(note),
            )
        if not post.get("consent"):
            errors["consent"] = _(
                "Agree to the use of your data to submit the validation."
            )
        return errors, answers, new_values

    def _cdb_parse_value(self, fname, text):
        """The customer's text for ``fname`` as a customer value, or an error."""
        text = (text or "").strip()
        if not text:
            return None, _("Fill in the right data.")
        if len(text) > TEXT_MAX_LENGTH:
            return None, _(
                "At most %(max)s characters, please (this answer has %(count)s).",
                max=TEXT_MAX_LENGTH,
                count=len(text),
            )
        if fname == "nik":
            nik = normalize_nik(text)
            if nik_problem(nik):
                return None, _("Enter the 16 digits of the NIK as on your KTP.")
            return nik, None
        if fname == "mobile":
            international = phone_normalize(text, "INTERNATIONAL")
            if not international:
                return None, _("Enter a valid mobile number, e.g. 0812-3456-7890.")
            return international, None
        if fname == "email":
            email = email_normalize(text)
            if not email:
                return None, _("Enter a valid email address, e.g. name@example.com.")
            return email, None
        if fname == "birthdate":
            try:
                birthdate = fields.Date.to_date(text)
            except ValueError:
                birthdate = None
            today = fields.Date.context_today(self)
            if not birthdate or birthdate > today or birthdate.year < 1900:
                return None, _("Enter a valid date of birth.")
            return birthdate, None
        if fname == "occupation_id" or fname in SELECT_FIELDS:
            keys = [key for key, _label in self._cdb_options(fname)]
            if text not in keys:
                return None, _("Choose one of the options.")
            return (int(text) if fname == "occupation_id" else text), None
        return text, None

    def _submit_customer_answers(self, answers, new_values, note=None):
        """Record the customer's answers for review: nothing is written on the
        customer yet. The link stops working."""
        self.ensure_one()
        partner = self.partner_id
        now = fields.Datetime.now()
        lines = []
        sequence = 0
        for item, fnames in CDB_ITEMS:
            for fname in fnames:
                sequence += 1
                old_raw = self._cdb_raw(fname, partner[fname])
                corrected = fname in new_values
                lines.append(
                    {
                        "sequence": sequence,
                        "item": item,
                        "field_name": fname,
                        "old_value_raw": old_raw,
                        "new_value_raw": self._cdb_raw(fname, new_values[fname])
                        if corrected
                        else old_raw,
                        "answer": "corrected" if corrected else "confirmed",
                    }
                )
        vals = {
            "state": "submitted",
            "submitted_at": now,
            "consent_at": now,
            "access_token_hash": False,
            "customer_note": (note or "").strip()[:NOTE_MAX_LENGTH] or False,
            "line_ids": [(0, 0, line) for line in lines],
        }
        if not self.reviewer_id:
            vals["reviewer_id"] = self._get_reviewer(self.branch_id).id
        self.sudo().write(vals)
        self.message_post(
            body=_(
                "The customer validated their data (%(count)s corrections) and "
                "agreed to the use of their data.",
                count=len(new_values),
            ),
            author_id=partner.id,
            subtype_xmlid="mail.mt_note",
        )
        if self.reviewer_id:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.reviewer_id.id,
                summary=_("Review the data validation of %s", partner.name),
            )
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS: review
    # ------------------------------------------------------------

    @api.model
    def _get_reviewer(self, branch):
        """Admin STNK of the branch when it has the full structure (ADH, Admin STNK,
        Sales Admin), else its PIC CRM; the branch head when nobody holds the role.

        Read with the system's rights: the request may come from the customer's
        page, and any user's groups decide the routing, not the reader's."""
        if not branch:
            return self.env["res.users"]
        ref = self.env.ref
        if branch.has_full_structure:
            role = ref("daya_base.group_daya_admin_stnk")
        else:
            role = ref("daya_base.group_daya_pic_crm_h1")
        holders = branch._role_holders(role).get(branch.id)
        return holders[:1] if holders else branch.sudo().head_user_id

    def _check_can_review(self):
        if self.env.user.has_group("daya_base.group_daya_branch_head"):
            reviewers_ok = True
        else:
            reviewers_ok = all(v.reviewer_id == self.env.user for v in self)
        if not reviewers_ok:
            raise UserError(
                _("Only the reviewer of the validation or the branch head reviews it.")
            )
        if self.filtered(lambda v: v.state != "submitted"):
            raise UserError(
                _("Only a validation submitted by the customer is reviewed.")
            )

    def _finalize(self, state_without_corrections=None):
        """Once every correction is decided: approved when a correction was
        approved (or the data was confirmed as it is), rejected otherwise."""
        now = fields.Datetime.now()
        for validation in self.filtered(lambda v: v.state == "submitted"):
            corrected = validation.line_ids.filtered(
                lambda line: line.answer == "corrected"
            )
            if corrected.filtered(lambda line: not line.decision):
                continue
            if corrected:
                approved = "approve" in corrected.mapped("decision")
                state = "approved" if approved else "rejected"
            elif state_without_corrections:
                state = state_without_corrections
            else:
                continue
            validation.sudo().write({"state": state, "reviewed_at": now})
            if state == "approved":
                validation.partner_id.write({"cdb_validated_at": now})
            validation.activity_feedback(["mail.mail_activity_data_todo"])

    def _cdb_proposed_values(self):
        """Customer values of the corrections not rejected."""
        self.ensure_one()
        return {
            line.field_name: self._cdb_from_raw(line.field_name, line.new_value_raw)
            for line in self.line_ids
            if line.answer == "corrected" and line.decision != "reject"
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS: values
    # ------------------------------------------------------------

    @api.model
    def _cdb_raw(self, fname, value):
        """A customer value as text: ids, ISO dates, selection keys."""
        if not value:
            return ""
        if fname == "occupation_id":
            return str(value if isinstance(value, int) else value.id)
        if fname == "birthdate":
            return fields.Date.to_string(value)
        return str(value).strip()

    @api.model
    def _cdb_from_raw(self, fname, raw):
        if not raw:
            return False
        if fname == "occupation_id":
            return int(raw)
        if fname == "birthdate":
            return fields.Date.to_date(raw)
        return raw

    @api.model
    def _cdb_display(self, fname, raw, masked=False):
        """A customer value as a person reads it."""
        if not raw:
            return ""
        if fname == "occupation_id":
            return self.env["daya.occupation"].sudo().browse(int(raw)).display_name
        if fname == "birthdate":
            return format_date(self.env, fields.Date.to_date(raw))
        if fname == "nik" and masked:
            return raw[:4] + "•" * (len(raw) - 8) + raw[-4:]
        if fname in SELECT_FIELDS:
            labels = dict(
                self.env["res.partner"]._fields[fname]._description_selection(self.env)
            )
            return labels.get(raw, raw)
        return raw

    @api.model
    def _cdb_item_display(self, item, partner, masked=False):
        fnames = dict(CDB_ITEMS)[item]
        return ", ".join(
            filter(
                None,
                (
                    self._cdb_display(
                        fname, self._cdb_raw(fname, partner[fname]), masked=masked
                    )
                    for fname in fnames
                ),
            )
        )
