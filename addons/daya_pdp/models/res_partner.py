import io
import json
import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools.misc import xlsxwriter

from odoo.addons.daya_base.tools.bulk import insert_rows
from odoo.addons.daya_cdb_validation.models.res_partner import CDB_FIELDS

from .daya_consent import PURPOSES_IMPLIED_BY_PURCHASE

_logger = logging.getLogger(__name__)

HEAD_OFFICE = "daya_base.group_daya_head_office"
# Words of a customer's reply that withdraw the consent to messages.
STOP_WORDS = {"STOP", "BERHENTI", "UNREG", "UNSUBSCRIBE", "STOP PROMO"}
# Purposes a STOP reply withdraws: those the messages serve.
MESSAGE_PURPOSES = ("service_reminder", "marketing")

# The customer's personal data, once: the items of the customer database
# (daya_cdb_validation's CDB_ITEMS) and the identity and contact fields beside them.
PARTNER_PERSONAL_DATA = tuple(CDB_FIELDS) + (
    "bpa_code",
    "phone",
    "street2",
    "zip",
    "state_id",
    "gender",
    "website",
    "function",
    "title",
    "comment",
    "vat",
    "ref",
    "image_1920",
)
# What an anonymization wipes (the name is replaced); what the dealer's books need
# (the unit sales, their frame numbers, dates and amounts) is kept on the anonymous
# customer.
PARTNER_PERSONAL_FIELDS = tuple(f for f in PARTNER_PERSONAL_DATA if f != "name")
# The contact data a lead holds on the person.
LEAD_PERSONAL_FIELDS = (
    "partner_name",
    "contact_name",
    "email_from",
    "email_cc",
    "phone",
    "mobile",
    "website",
    "street",
    "street2",
    "city",
    "zip",
    "state_id",
    "function",
    "title",
    "nik",
    "description",
)
# Records of the suite tied to a customer (partner_id), as (section key, model,
# fields exported); every addon's data of the person.
EXPORT_SECTIONS = (
    (
        "leads",
        "crm.lead",
        "partner_id",
        [
            "lead_number",
            "name",
            "type",
            "branch_id",
            "user_id",
            "contact_name",
            "partner_name",
            "email_from",
            "phone",
            "mobile",
            "street",
            "city",
            "nik",
            "occupation_id",
            "lead_category",
            "prospect_status",
            "sales_source",
            "motor_type_id",
            "motor_color_id",
            "payment_type",
            "leasing_id",
            "down_payment",
            "stage_id",
            "active",
            "create_date",
            "description",
        ],
    ),
    (
        "unit_sales",
        "daya.unit.sale",
        "partner_id",
        [
            "frame_number",
            "engine_number",
            "branch_id",
            "product_id",
            "sale_date",
            "delivery_date",
            "stnk_ready_date",
            "payment_type",
            "leasing_id",
            "tenor",
            "down_payment",
            "is_premium",
        ],
    ),
    (
        "wor_leads",
        "daya.wor.lead",
        "partner_id",
        [
            "name",
            "branch_id",
            "unit_sale_id",
            "wor_type",
            "origin",
            "state",
            "lost_reason",
            "fu1_date",
            "fu2_date",
            "fu3_date",
        ],
    ),
    (
        "bookings",
        "daya.service.booking",
        "partner_id",
        [
            "name",
            "branch_id",
            "unit_sale_id",
            "start",
            "service_type",
            "booking_kind",
            "state",
            "note",
        ],
    ),
    (
        "followup_tasks",
        "daya.followup.task",
        "partner_id",
        [
            "branch_id",
            "unit_sale_id",
            "rule_id",
            "channel",
            "due_date",
            "state",
            "result",
            "note",
        ],
    ),
    (
        "cdb_validations",
        "daya.cdb.validation",
        "partner_id",
        [
            "name",
            "branch_id",
            "state",
            "sent_at",
            "submitted_at",
            "consent_at",
            "reviewed_at",
            "customer_note",
            "line_ids",
        ],
    ),
    (
        "cdb_answers",
        "daya.cdb.validation.line",
        "validation_id.partner_id",
        [
            "validation_id",
            "field_name",
            "old_value_raw",
            "new_value_raw",
            "answer",
            "decision",
        ],
    ),
    (
        "consents",
        "daya.consent",
        "partner_id",
        ["purpose", "state", "date", "channel", "legal_basis", "user_id", "note"],
    ),
    (
        "outgoing_messages",
        "daya.message.log",
        "partner_id",
        ["create_date", "branch_id", "channel", "to", "body", "state"],
    ),
    (
        "requests",
        "daya.pdp.request",
        "partner_id",
        ["name", "request_type", "received_at", "due_at", "state", "description"],
    ),
)
# The person's data export: their personal data and the customer record's context.
PARTNER_EXPORT_FIELDS = PARTNER_PERSONAL_DATA + (
    "country_id",
    "lang",
    "branch_ids",
    "create_date",
)


def serialize_records(records, fnames):
    """``records`` as a list of plain dicts for the export: relations by their
    names, selections by their labels, dates as ISO text, files left out."""
    result = []
    fields_ = [records._fields[fname] for fname in fnames if fname in records._fields]
    for record in records:
        values = {"id": record.id}
        for field in fields_:
            value = record[field.name]
            if field.type == "many2one":
                value = value.display_name or None
            elif field.type in ("one2many", "many2many"):
                value = value.mapped("display_name")
            elif field.type == "selection":
                value = dict(field._description_selection(record.env)).get(value)
            elif field.type == "date":
                value = fields.Date.to_string(value) or None
            elif field.type == "datetime":
                value = fields.Datetime.to_string(value) or None
            elif field.type == "binary":
                continue
            elif value is False and field.type != "boolean":
                value = None
            values[field.name] = value
        result.append(values)
    return result


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    consent_ids = fields.One2many("daya.consent", "partner_id", string="Consents")
    consent_service_reminder = fields.Selection(
        [("given", "Given"), ("withdrawn", "Withdrawn"), ("implied", "From Purchase")],
        string="Service Reminders",
        compute="_compute_consent_states",
    )
    consent_marketing = fields.Selection(
        [("given", "Given"), ("withdrawn", "Withdrawn"), ("none", "Not Given")],
        string="Marketing Offers",
        compute="_compute_consent_states",
    )
    consent_credit_processing = fields.Selection(
        [("given", "Given"), ("withdrawn", "Withdrawn"), ("none", "Not Given")],
        string="Data Processing for Credit",
        compute="_compute_consent_states",
    )
    pdp_request_ids = fields.One2many(
        "daya.pdp.request", "partner_id", string="Data Subject Requests"
    )
    daya_anonymized_at = fields.Datetime(
        string="Anonymized On",
        readonly=True,
        copy=False,
        help="The customer's personal data was erased (UU PDP): irreversible.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("consent_ids.state", "consent_ids.date")
    def _compute_consent_states(self):
        states = self._daya_consent_states()
        for partner in self:
            current = states.get(partner.id, {})
            partner.consent_service_reminder = (
                current.get("service_reminder") or "implied"
            )
            partner.consent_marketing = current.get("marketing") or "none"
            partner.consent_credit_processing = (
                current.get("credit_processing") or "none"
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if "daya_anonymized_at" in vals and not self.env.su:
            raise AccessError(_("Only an anonymization marks a customer anonymized."))
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_withdraw_service_reminder(self):
        return self._daya_record_consent("service_reminder", "withdrawn")

    def action_withdraw_marketing(self):
        return self._daya_record_consent("marketing", "withdrawn")

    def action_give_marketing(self):
        return self._daya_record_consent("marketing", "given")

    def action_export_personal_data(self):
        """Export everything the suite holds on the person (UU PDP right of access):
        a JSON file and a readable xlsx, attached to an access request of the
        register, which only the branch's data protection roles read. Returns the
        JSON's download."""
        self.ensure_one()
        request = self.env["daya.pdp.request"]._daya_access_request(self)
        return request._daya_export()

    def action_anonymize(self):
        """Erase the person (UU PDP right of deletion): a head-office user's call is
        the approval; it opens the confirmation first. Anyone else is refused."""
        self.ensure_one()
        self._daya_check_can_anonymize()
        wizard = self.env["daya.pdp.anonymize.wizard"].create(
            {
                "partner_id": self.id,
                "request_id": self.env.context.get("daya_pdp_request_id") or False,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Anonymize %s", self.display_name),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    # ------------------------------------------------------------
    # BUSINESS METHODS: consent
    # ------------------------------------------------------------

    def _daya_consent_states(self):
        """{partner id: {purpose: state}} of the latest record of each purpose."""
        if not self.ids:
            return {}
        consents = (
            self.env["daya.consent"]
            .sudo()
            .search_read(
                [("partner_id", "in", self.ids)],
                ["partner_id", "purpose", "state"],
                order="date desc, id desc",
            )
        )
        states = {}
        for consent in consents:
            current = states.setdefault(consent["partner_id"][0], {})
            current.setdefault(consent["purpose"], consent["state"])
        return states

    def _daya_consent_allows(self, purpose):
        """The partners whose data may be processed for ``purpose``: a recorded
        "given", or, for the purposes of the purchase, no record at all."""
        states = self._daya_consent_states()
        implied = purpose in PURPOSES_IMPLIED_BY_PURCHASE
        return self.filtered(
            lambda p: (
                states.get(p.id, {}).get(purpose, "given" if implied else False)
                == "given"
            )
        )

    def _daya_consent_withdrawn(self, purpose):
        """The partners whose latest record for ``purpose`` is a withdrawal."""
        states = self._daya_consent_states()
        return self.filtered(lambda p: states.get(p.id, {}).get(purpose) == "withdrawn")

    def _daya_record_implied_consents(self, purpose):
        """The first time the schedule uses a purpose of the purchase for a
        customer with no record, record it as taken "from the purchase"."""
        if purpose not in PURPOSES_IMPLIED_BY_PURCHASE:
            return self.env["daya.consent"]
        states = self._daya_consent_states()
        missing = self.filtered(lambda p: purpose not in states.get(p.id, {}))
        # a system step of the schedule, for a batch of thousands of customers:
        # one insert (``insert_rows``), as ``create`` would store them
        return insert_rows(
            self.env["daya.consent"].sudo(),
            [
                {
                    "partner_id": partner.id,
                    "purpose": purpose,
                    "state": "given",
                    "channel": "purchase",
                    "user_id": False,
                    "branch_id": False,
                }
                for partner in missing
            ],
        )

    def _daya_record_consent(self, purpose, state, channel="form", note=False):
        """Record the user's entry of a consent or withdrawal (with the user's
        rights: the customer must be of their branches)."""
        self.env["daya.consent"].create(
            [
                {
                    "partner_id": partner.id,
                    "purpose": purpose,
                    "state": state,
                    "channel": channel,
                    "note": note,
                }
                for partner in self
            ]
        )
        return True

    @api.model
    def _daya_handle_inbound_reply(self, sender, text):
        """A customer's reply through a message gateway: "STOP" (or BERHENTI,
        UNREG…) withdraws the consent to service reminders and marketing of every
        customer with that number, at once. Returns the customers concerned.

        Called by the gateway's inbound hook (``daya.message.gateway._handle_inbound``);
        a system step: the reply comes from the customer, not from a user."""
        if not isinstance(text, str) or text.strip().upper() not in STOP_WORDS:
            return self.browse()
        partners = self._daya_identify(phone=sender)["phone"].filtered(
            lambda p: not p.daya_anonymized_at
        )
        if partners:
            self.env["daya.consent"].sudo().create(
                [
                    {
                        "partner_id": partner.id,
                        "purpose": purpose,
                        "state": "withdrawn",
                        "channel": "message_reply",
                        "user_id": False,
                        "branch_id": False,
                        "note": text.strip()[:50],
                    }
                    for partner in partners
                    for purpose in MESSAGE_PURPOSES
                ]
            )
        return partners

    # ------------------------------------------------------------
    # BUSINESS METHODS: export
    # ------------------------------------------------------------

    def _daya_personal_data(self):
        """Everything the suite holds on the person: a list of sections
        ``{"key", "model", "label", "records": [{field: value}]}``.

        Read with the system's rights (sudo): the person's right of access covers
        every branch's records; the caller checked that the user may export this
        customer. Other addons add their sections (KTP photos, DMS records…) by
        extending this method."""
        self.ensure_one()
        partner = self.sudo()
        sections = [
            {
                "key": "partner",
                "model": "res.partner",
                "label": _("Customer"),
                "records": serialize_records(partner, PARTNER_EXPORT_FIELDS),
            }
        ]
        records_by_model = {}
        for key, model, path, fnames in EXPORT_SECTIONS:
            Model = self.env[model].sudo().with_context(active_test=False)
            records = Model.search([(path, "=", partner.id)])
            records_by_model[model] = records
            sections.append(
                {
                    "key": key,
                    "model": model,
                    "label": Model._description,
                    "records": serialize_records(records, fnames),
                }
            )
        messages = partner._daya_chatter_messages(records_by_model)
        sections.append(
            {
                "key": "messages",
                "model": "mail.message",
                "label": _("Messages and Notes"),
                "records": serialize_records(
                    messages,
                    ["date", "model", "res_id", "message_type", "subject", "body"],
                ),
            }
        )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", "res.partner"), ("res_id", "=", partner.id)])
        )
        sections.append(
            {
                "key": "attachments",
                "model": "ir.attachment",
                "label": _("Documents"),
                # the files themselves stay in the dealer's system: named here
                "records": serialize_records(
                    attachments, ["name", "mimetype", "create_date"]
                ),
            }
        )
        return sections

    def _daya_chatter_messages(self, records_by_model):
        """The chatter messages on the customer and on the suite's records of the
        customer, and those the customer wrote."""
        self.ensure_one()
        targets = [("res.partner", self.ids)] + [
            (model, records.ids) for model, records in records_by_model.items()
        ]
        domain = expression.OR(
            [[("author_id", "=", self.id)]]
            + [
                [("model", "=", model), ("res_id", "in", ids)]
                for model, ids in targets
                if ids
            ]
        )
        return self.env["mail.message"].sudo().search(domain, order="id")

    def _daya_export_files(self):
        """The export's JSON and xlsx contents: ``(json_bytes, xlsx_bytes)``."""
        self.ensure_one()
        sections = self._daya_personal_data()
        payload = {
            "exported_at": fields.Datetime.to_string(fields.Datetime.now()),
            "exported_by": self.env.user.name,
            "company": self.env.company.name,
            "sections": sections,
        }
        json_bytes = json.dumps(
            payload, ensure_ascii=False, indent=2, default=str
        ).encode()
        stream = io.BytesIO()
        workbook = xlsxwriter.Workbook(stream, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        for index, section in enumerate(sections):
            sheet = workbook.add_worksheet(("%02d %s" % (index, section["key"]))[:31])
            sheet.write(0, 0, section["label"], bold)
            columns = []
            for record in section["records"]:
                columns += [key for key in record if key not in columns]
            for col, key in enumerate(columns):
                sheet.write(2, col, key, bold)
            for row, record in enumerate(section["records"], start=3):
                for col, key in enumerate(columns):
                    value = record.get(key)
                    if isinstance(value, (list, dict)):
                        value = json.dumps(value, ensure_ascii=False, default=str)
                    sheet.write(row, col, "" if value is None else value)
        workbook.close()
        return json_bytes, stream.getvalue()

    # ------------------------------------------------------------
    # BUSINESS METHODS: anonymization
    # ------------------------------------------------------------

    def _daya_check_can_anonymize(self):
        """Only head office approves an erasure; users, companies and leasing
        companies are not persons to erase; an erasure is done once."""
        if not self.env.user.has_group(HEAD_OFFICE):
            raise AccessError(
                _(
                    "Only head office approves the erasure of a customer's personal "
                    "data. Record the customer's deletion request; head office "
                    "approves it."
                )
            )
        self.check_access_rights("write")
        self.check_access_rule("write")
        for partner in self:
            if partner.daya_anonymized_at:
                raise UserError(
                    _("%s is already anonymized: it cannot be undone or redone.")
                    % partner.display_name
                )
            if (
                partner.is_company
                or partner.is_leasing_company
                or partner.sudo().user_ids
                or partner.sudo().with_context(active_test=False).user_ids
            ):
                raise UserError(
                    _(
                        "%s is a company, a leasing company or a user of the system, "
                        "not a customer: it cannot be anonymized."
                    )
                    % partner.display_name
                )

    def _daya_anonymize(self, reason="request", request=None):
        """Anonymize the customers in one transaction (any error undoes it all):
        wipe their personal data across the suite, keep the unit sales on the
        anonymous customer, write the audit record. The caller checked the
        approval (head office, or the retention cron)."""
        audits = self.env["daya.pdp.audit"]
        for partner in self.sudo():
            reference = "#%s" % partner.id
            counts = partner._daya_anonymize_hook()
            audits |= audits.sudo().create(
                {
                    "partner_id": partner.id,
                    "partner_reference": reference,
                    "reason": reason,
                    "request_id": request.id if request else False,
                    "approved_by_id": self.env.uid,
                    "summary": json.dumps(counts, sort_keys=True),
                }
            )
        return audits

    def _daya_anonymize_hook(self):
        """Wipe the person's data in the suite's models (a system step, sudo: the
        caller approved the erasure). Returns ``{what: count}`` for the audit
        record. Other addons extend it (KTP photos, DMS records…): call super and
        add their counts."""
        self.ensure_one()
        partner = self.sudo().with_context(active_test=False, tracking_disable=True)
        env = partner.env
        counts = {}
        leads = env["crm.lead"].search(
            ["|", ("partner_id", "=", partner.id)]
            + ([("nik", "=", partner.nik)] if partner.nik else [("id", "=", 0)])
        )
        counts["leads"] = len(leads)
        leads._daya_wipe_personal_data()
        records_by_model = {"crm.lead": leads}
        for model in (
            "daya.wor.lead",
            "daya.service.booking",
            "daya.followup.task",
            "daya.cdb.validation",
            "daya.message.log",
            "daya.unit.sale",
        ):
            records_by_model[model] = env[model].search(
                [("partner_id", "=", partner.id)]
            )
        bookings = records_by_model["daya.service.booking"]
        bookings.write({"note": False})
        tasks = records_by_model["daya.followup.task"]
        tasks.filtered(lambda t: t.state == "todo").write(
            {"state": "cancel", "user_id": False}
        )
        tasks.write({"note": False})
        counts["followup_tasks"] = len(tasks)
        messages = records_by_model["daya.message.log"]
        messages.filtered(lambda m: m.state == "outgoing").write({"state": "failed"})
        messages.write({"to": False, "body": False, "error": False})
        counts["outgoing_messages"] = len(messages)
        validations = records_by_model["daya.cdb.validation"]
        counts["cdb_answers"] = len(validations.line_ids)
        validations.line_ids.unlink()
        validations.filtered(lambda v: v.state == "sent").write({"state": "expired"})
        validations.write({"customer_note": False, "access_token_hash": False})
        counts["cdb_validations"] = len(validations)
        counts["unit_sales_kept"] = len(records_by_model["daya.unit.sale"])
        # chatter: messages (their text and tracked old values), activities
        chatter = partner._daya_chatter_messages(records_by_model)
        env["mail.tracking.value"].search(
            [("mail_message_id", "in", chatter.ids)]
        ).unlink()
        chatter.write(
            {
                "body": _("<p>(anonymized)</p>"),
                "subject": False,
                "email_from": False,
                "author_id": False,
            }
        )
        counts["messages"] = len(chatter)
        env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
        ).unlink()
        attachments = env["ir.attachment"].search(
            [
                "|",
                "&",
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                "&",
                ("res_model", "=", "crm.lead"),
                ("res_id", "in", leads.ids),
            ]
        )
        counts["attachments"] = len(attachments)
        attachments.unlink()
        partner.consent_ids.write({"note": False})
        partner.pdp_request_ids.write({"description": False, "resolution": False})
        vals = {
            fname: False
            for fname in PARTNER_PERSONAL_FIELDS
            if fname in partner._fields
        }
        vals.update(
            name=_("Anonymized customer %s", partner.id),
            daya_anonymized_at=fields.Datetime.now(),
            active=False,
        )
        partner.write(vals)
        partner.child_ids.write(
            dict(
                {
                    fname: False
                    for fname in PARTNER_PERSONAL_FIELDS
                    if fname in partner._fields
                },
                name=_("Anonymized contact"),
                active=False,
            )
        )
        return counts

    # ------------------------------------------------------------
    # BUSINESS METHODS: retention
    # ------------------------------------------------------------

    @api.model
    def _cron_pdp_retention(self, batch_size=200):
        """Daily: erase what is past its retention (system parameters), a bounded
        batch of each kind per run, re-triggered while work remains. Idempotent:
        what was erased is not found again."""
        counts = self._daya_retention(batch_size=batch_size)
        _logger.info("UU PDP retention: %s", counts)
        if any(count >= batch_size for count in counts.values()):
            self.env.ref("daya_pdp.ir_cron_pdp_retention")._trigger()
        return counts

    @api.model
    def _daya_retention(self, batch_size=200, now=None):
        """One batch of each retention rule; returns ``{rule: count}``."""
        now = now or fields.Datetime.now()
        params = self.env["ir.config_parameter"].sudo()
        months = int(params.get_param("daya_pdp.prospect_retention_months", 24) or 0)
        answer_days = int(
            params.get_param("daya_pdp.validation_answer_retention_days", 90) or 0
        )
        counts = {}
        if months > 0:
            cutoff = now - relativedelta(months=months)
            leads = self.env["crm.lead"]._daya_expired_lost_leads(cutoff, batch_size)
            leads._daya_wipe_personal_data()
            counts["lost_leads"] = len(leads)
            prospects = self._daya_expired_prospects(cutoff, batch_size)
            prospects._daya_anonymize(reason="retention")
            counts["prospects"] = len(prospects)
        if answer_days > 0:
            cutoff = now - timedelta(days=answer_days)
            validations = self.env["daya.cdb.validation"]._daya_expired_answers(
                cutoff, batch_size
            )
            counts["cdb_answers"] = len(validations)
            validations.sudo()._daya_purge_answers()
        counts.update(self._daya_retention_hook(batch_size, now))
        return counts

    @api.model
    def _daya_retention_hook(self, batch_size, now):
        """Other addons' retention rules (KTP photos…): ``{rule: count}``."""
        return {}

    @api.model
    def _daya_expired_prospects(self, cutoff, limit):
        """Customers who never bought (no unit sale, no booking), whose leads are
        all lost (archived: an open or won lead is active) and untouched since
        ``cutoff``: the purpose of their data (the sale) is gone."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT p.id FROM res_partner p
             WHERE p.daya_anonymized_at IS NULL
               AND p.is_company IS NOT TRUE
               AND p.is_leasing_company IS NOT TRUE
               AND p.write_date < %(cutoff)s
               AND EXISTS (SELECT 1 FROM crm_lead l WHERE l.partner_id = p.id)
               AND NOT EXISTS (
                    SELECT 1 FROM crm_lead l
                     WHERE l.partner_id = p.id
                       AND (l.write_date >= %(cutoff)s OR l.active))
               AND NOT EXISTS (
                    SELECT 1 FROM daya_unit_sale s WHERE s.partner_id = p.id)
               AND NOT EXISTS (
                    SELECT 1 FROM daya_service_booking b WHERE b.partner_id = p.id)
               AND NOT EXISTS (SELECT 1 FROM res_users u WHERE u.partner_id = p.id)
             ORDER BY p.id
             LIMIT %(limit)s
            """,
            {"cutoff": cutoff, "limit": limit},
        )
        return self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
