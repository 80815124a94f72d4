import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.ktp_ocr import FIELDS

GENDERS = [("male", "Male"), ("female", "Female")]


class DayaKtpScanWizard(models.TransientModel):
    _name = "daya.ktp.scan.wizard"
    _description = "Scan KTP"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    lead_id = fields.Many2one("crm.lead", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    state = fields.Selection(
        [("photo", "Photo"), ("review", "Review")], default="photo", required=True
    )
    photo = fields.Binary(string="KTP Photo", attachment=False)
    # what was read, for the user to confirm or correct
    nik = fields.Char(string="NIK")
    name = fields.Char()
    birth_place = fields.Char(string="Place of Birth")
    birthdate = fields.Date(string="Date of Birth")
    gender = fields.Selection(GENDERS)
    street = fields.Char(string="Address")
    rt_rw = fields.Char(string="RT/RW")
    village = fields.Char(string="Kelurahan/Desa")
    district = fields.Char(string="Kecamatan")
    religion = fields.Char()
    marital_status = fields.Char()
    occupation = fields.Char(string="Occupation (read)")
    occupation_id = fields.Many2one("daya.occupation")
    unread_note = fields.Char(string="Not Read", readonly=True)
    warning_note = fields.Text(string="Check", readonly=True)
    existing_partner_id = fields.Many2one(
        "res.partner", string="Existing Customer", readonly=True
    )
    existing_card = fields.Char(string="Customer of Another Branch", readonly=True)
    use_existing = fields.Boolean(
        string="Use the Existing Customer",
        default=True,
        help="Put the customer who already holds this NIK on the lead instead of "
        "the data read.",
    )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_read(self):
        """Read the photo and show what was read, nothing saved yet."""
        self.ensure_one()
        if not self.photo:
            raise UserError(_("Take or upload a photo of the KTP first."))
        result = self.env["res.partner"]._daya_read_ktp(base64.b64decode(self.photo))
        labels = {key: self._fields[key].string for key in FIELDS}
        vals = {key: result[key] or False for key in FIELDS}
        vals.update(
            state="review",
            unread_note=", ".join(labels[key] for key in result["unread"]) or False,
            warning_note="\n".join(self._warning_text(*w) for w in result["warnings"])
            or False,
            occupation_id=self._match_occupation(result["occupation"]).id,
            existing_partner_id=False,
            existing_card=False,
        )
        if result["nik"]:
            vals.update(self._existing_customer(result["nik"]))
        self.write(vals)
        return self._reopen()

    def action_confirm(self):
        """Write the confirmed values on the lead or the customer and keep the
        photo for the branch's sales staff."""
        self.ensure_one()
        if self.state != "review":
            raise UserError(_("Read the KTP photo first."))
        if self.nik:
            self.env["res.partner"]._daya_check_nik_value(self.nik)
        if self.lead_id:
            record = self._apply_on_lead()
        else:
            record = self._apply_on_partner()
        branch = self.lead_id.branch_id or self.env.user.branch_id
        if self.photo and branch:
            self.env["ir.attachment"]._daya_ktp_store(
                record, base64.b64decode(self.photo), branch
            )
        return {"type": "ir.actions.act_window_close"}

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": _("Scan KTP"),
        }

    @api.model
    def _warning_text(self, code, nik):
        messages = {
            "nik_invalid": _(
                "The NIK read (%(nik)s) is not a valid NIK (16 digits, region code, "
                "birth date): type it from the card."
            ),
            "nik_birthdate": _(
                "The NIK read (%(nik)s) does not match the date of birth on the card: "
                "check both and type the NIK."
            ),
            "nik_gender": _(
                "The NIK read (%(nik)s) does not match the gender on the card: check "
                "both and type the NIK."
            ),
        }
        return messages[code] % {"nik": nik}

    @api.model
    def _match_occupation(self, text):
        Occupation = self.env["daya.occupation"]
        if not text:
            return Occupation
        return Occupation.search([("name", "=ilike", text)], limit=1)

    def _existing_customer(self, nik):
        """The customer holding this NIK: offered when the user's branches see
        them, else only their minimal card (daya_lookup_customers' rules)."""
        cards = self.env["res.partner"].daya_lookup_customers(nik)
        for card in cards:
            if self.partner_id and card.get("id") == self.partner_id.id:
                continue
            if card.get("visible"):
                return {"existing_partner_id": card["id"]}
            partner = self.env["res.partner"].browse(card["id"])
            return {"existing_card": partner._daya_card_text()}
        return {}

    def _partner_values(self):
        address = ", ".join(
            part
            for part in (
                self.rt_rw and "RT/RW %s" % self.rt_rw,
                self.village and "Kel. %s" % self.village,
                self.district and "Kec. %s" % self.district,
            )
            if part
        )
        vals = {
            "name": self.name,
            "nik": self.nik,
            "street": self.street,
            "street2": address,
            "birth_place": self.birth_place,
            "birthdate": self.birthdate,
            "gender": self.gender,
            "occupation_id": self.occupation_id.id,
        }
        return {key: value for key, value in vals.items() if value}

    def _apply_on_lead(self):
        lead = self.lead_id
        if self.existing_partner_id and self.use_existing:
            lead.write({"partner_id": self.existing_partner_id.id})
            return self.existing_partner_id
        vals = self._partner_values()
        lead_vals = {
            "contact_name": vals.get("name"),
            "nik": vals.get("nik"),
            "street": vals.get("street"),
            "street2": vals.get("street2"),
            "occupation_id": vals.get("occupation_id"),
        }
        lead.write({key: value for key, value in lead_vals.items() if value})
        if lead.partner_id:
            extra = {
                key: vals[key]
                for key in ("birth_place", "birthdate", "gender")
                if key in vals
            }
            if extra:
                lead.partner_id.write(extra)
            return lead.partner_id
        return lead

    def _apply_on_partner(self):
        if self.existing_card:
            raise UserError(
                _(
                    "The NIK %(nik)s belongs to a customer of another branch: "
                    "%(card)s. Ask that branch, or attach the customer from a lead.",
                    nik=self.nik,
                    card=self.existing_card,
                )
            )
        if self.existing_partner_id:
            raise UserError(
                _(
                    "The NIK %(nik)s belongs to the customer %(name)s: open that "
                    "customer instead.",
                    nik=self.nik,
                    name=self.existing_partner_id.display_name,
                )
            )
        self.partner_id.write(self._partner_values())
        return self.partner_id
