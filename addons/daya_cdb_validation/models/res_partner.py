from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.daya_base.tools import (
    nik_birthdate,
    nik_gender,
    nik_problem,
    normalize_nik,
)

# The 13 items of the customer database the customer validates (seed 002), in the
# order of the SOP: (item, its label, the customer fields that hold it with theirs).
CDB_TABLE = [
    ("name", "Name", [("name", "Name")]),
    ("address", "Address", [("street", "Street"), ("city", "City")]),
    ("nik", "NIK", [("nik", "NIK")]),
    ("mobile", "Mobile Phone", [("mobile", "Mobile")]),
    (
        "birth",
        "Place / Date of Birth",
        [("birth_place", "Place of Birth"), ("birthdate", "Date of Birth")],
    ),
    ("occupation", "Occupation", [("occupation_id", "Occupation")]),
    ("email", "Email", [("email", "Email")]),
    ("social_media", "Social Media", [("social_media", "Social Media")]),
    ("monthly_expense", "Monthly Expense", [("monthly_expense", "Monthly Expense")]),
    ("house_status", "House Status", [("house_status", "House Status")]),
    (
        "motorcycle_ownership",
        "Motorcycle Ownership",
        [("motorcycle_ownership", "Motorcycle Ownership")],
    ),
    (
        "previous_motorcycle",
        "Previous Motorcycle",
        [("previous_motorcycle", "Previous Motorcycle")],
    ),
    ("motorcycle_use", "Motorcycle Use", [("motorcycle_use", "Motorcycle Use")]),
]
CDB_ITEMS = [
    (item, tuple(fname for fname, _label in fnames))
    for item, _label, fnames in CDB_TABLE
]
CDB_ITEM_SELECTION = [(item, label) for item, label, _fnames in CDB_TABLE]
CDB_FIELDS = [fname for _item, fnames in CDB_ITEMS for fname in fnames]
CDB_FIELD_SELECTION = [field for _item, _label, fnames in CDB_TABLE for field in fnames]
NIK_CHECK_FIELDS = {"nik", "birthdate", "gender"}

MONTHLY_EXPENSE = [
    ("lt_1m", "Below Rp 1 million"),
    ("1m_2m", "Rp 1-2 million"),
    ("2m_3m", "Rp 2-3 million"),
    ("3m_5m", "Rp 3-5 million"),
    ("gt_5m", "Above Rp 5 million"),
]
HOUSE_STATUS = [
    ("own", "Own house"),
    ("family", "Parents' / family house"),
    ("rent", "Rented / boarding house"),
    ("official", "Official / company housing"),
    ("other", "Other"),
]
MOTORCYCLE_OWNERSHIP = [
    ("1", "First motorcycle"),
    ("2", "Second motorcycle"),
    ("3", "Third motorcycle"),
    ("4", "Fourth or more"),
]
PREVIOUS_MOTORCYCLE = [
    ("none", "None (first motorcycle)"),
    ("honda", "Honda"),
    ("yamaha", "Yamaha"),
    ("suzuki", "Suzuki"),
    ("kawasaki", "Kawasaki"),
    ("other", "Other brand"),
]
MOTORCYCLE_USE = [
    ("work", "Commuting to work"),
    ("school", "Going to school / campus"),
    ("trade", "Trading / business"),
    ("ride_hailing", "Ride-hailing (ojek)"),
    ("family", "Family needs"),
    ("leisure", "Leisure / sport"),
    ("other", "Other"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    occupation_id = fields.Many2one("daya.occupation", index=True, ondelete="restrict")
    social_media = fields.Char(
        help="The customer's social media account, e.g. @name on Instagram."
    )
    monthly_expense = fields.Selection(MONTHLY_EXPENSE)
    house_status = fields.Selection(HOUSE_STATUS)
    motorcycle_ownership = fields.Selection(
        MOTORCYCLE_OWNERSHIP,
        help="Which motorcycle of the customer this is: the first, the second...",
    )
    previous_motorcycle = fields.Selection(
        PREVIOUS_MOTORCYCLE,
        help="Brand of the motorcycle the customer had before.",
    )
    motorcycle_use = fields.Selection(MOTORCYCLE_USE)
    birth_place = fields.Char(string="Place of Birth")
    birthdate = fields.Date(string="Date of Birth")
    gender = fields.Selection([("male", "Male"), ("female", "Female")])
    nik_mismatch_warning = fields.Char(
        string="NIK Check",
        compute="_compute_nik_mismatch_warning",
        help="Differences between the birth date and gender encoded in the NIK and "
        "those entered.",
    )
    nik_mismatch_confirmed = fields.Boolean(
        string="NIK Mismatch Confirmed",
        copy=False,
        tracking=True,
        help="The data was checked against the KTP: the birth date or gender is "
        "right although the NIK encodes another one.",
    )
    cdb_completeness = fields.Integer(
        string="CDB Completeness",
        compute="_compute_cdb_completeness",
        store=True,
        group_operator="avg",
        help="Share (0-100) of the 13 validated customer database items filled in.",
    )
    cdb_complete = fields.Boolean(
        string="CDB Complete", compute="_compute_cdb_completeness", store=True
    )
    cdb_missing = fields.Char(
        string="CDB Missing",
        compute="_compute_cdb_missing",
        help="The customer database items still missing.",
    )
    cdb_validated_at = fields.Datetime(
        string="CDB Validated On",
        readonly=True,
        copy=False,
        help="When a validation of the customer's data was last approved.",
    )
    cdb_validation_ids = fields.One2many(
        "daya.cdb.validation", "partner_id", string="CDB Validations"
    )
    cdb_validation_count = fields.Integer(compute="_compute_cdb_validation_count")

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("nik", "birthdate", "gender")
    def _compute_nik_mismatch_warning(self):
        for partner in self:
            # False, not "", when the data matches: the form hides the warning on
            # False only
            partner.nik_mismatch_warning = (
                "; ".join(
                    partner._cdb_nik_mismatches(
                        partner.nik, partner.birthdate, partner.gender
                    )
                )
                or False
            )

    @api.depends(*CDB_FIELDS)
    def _compute_cdb_completeness(self):
        for partner in self:
            partner.update(self._cdb_completeness_values(partner))

    @api.model
    def _cdb_completeness_values(self, values):
        """``cdb_completeness`` and ``cdb_complete`` of a customer's values (the
        customer, or a dict of the CDB fields' values): the compute's and the
        import's one formula."""
        value = values.get if isinstance(values, dict) else values.__getitem__
        filled = sum(
            1 for _item, fnames in CDB_ITEMS if all(value(fname) for fname in fnames)
        )
        return {
            "cdb_completeness": round(100 * filled / len(CDB_ITEMS)),
            "cdb_complete": filled == len(CDB_ITEMS),
        }

    @api.model
    def _daya_person_values(self, vals_list):
        results = super()._daya_person_values(vals_list)
        defaults = self.default_get(CDB_FIELDS)
        for vals, values in zip(vals_list, results):
            values.update(self._cdb_completeness_values(dict(defaults, **vals)))
        return results

    @api.depends(*CDB_FIELDS)
    def _compute_cdb_missing(self):
        labels = self._cdb_item_labels()
        for partner in self:
            partner.cdb_missing = ", ".join(
                labels[item] for item in partner._cdb_missing_items()
            )

    def _compute_cdb_validation_count(self):
        groups = self.env["daya.cdb.validation"]._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["partner_id"]
        )
        counts = {group["partner_id"][0]: group["partner_id_count"] for group in groups}
        for partner in self:
            partner.cdb_validation_count = counts.get(partner.id, 0)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("nik", "birthdate", "gender", "nik_mismatch_confirmed")
    def _check_nik_mismatch_confirmed(self):
        for partner in self.filtered(lambda p: not p.nik_mismatch_confirmed):
            mismatches = partner._cdb_nik_mismatches(
                partner.nik, partner.birthdate, partner.gender
            )
            if mismatches:
                raise ValidationError(
                    _(
                        "The data of %(customer)s does not match the NIK: "
                        "%(mismatches)s. Check the KTP with the customer; if the data "
                        "is right, tick 'NIK Mismatch Confirmed' to save it.",
                        customer=partner.display_name,
                        mismatches="; ".join(mismatches),
                    )
                )

    @api.constrains("birthdate")
    def _check_birthdate(self):
        today = fields.Date.context_today(self)
        for partner in self.filtered("birthdate"):
            if partner.birthdate > today or partner.birthdate.year < 1900:
                raise ValidationError(
                    _("The date of birth %s is not plausible.", partner.birthdate)
                )

    # ------------------------------------------------------------
    # ONCHANGES
    # ------------------------------------------------------------

    @api.onchange("nik", "birthdate", "gender")
    def _onchange_nik_mismatch(self):
        if self.nik_mismatch_warning and not self.nik_mismatch_confirmed:
            return {
                "warning": {
                    "title": _("The data does not match the NIK"),
                    "message": _(
                        "%s. Check the KTP; if the data is right, tick 'NIK Mismatch "
                        "Confirmed'.",
                        self.nik_mismatch_warning,
                    ),
                }
            }

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def write(self, vals):
        if NIK_CHECK_FIELDS & set(vals) and "nik_mismatch_confirmed" not in vals:
            # a confirmed mismatch is confirmed for the data it was confirmed on:
            # new data needs a new confirmation
            changed = self.filtered(
                lambda p: p.nik_mismatch_confirmed and p._cdb_values_change(vals)
            )
            if changed:
                super(ResPartner, changed).write(
                    dict(vals, nik_mismatch_confirmed=False)
                )
                return super(ResPartner, self - changed).write(vals)
        return super().write(vals)

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_send_cdb_validation(self):
        """Admin STNK: send the customer the link to validate their data."""
        self.ensure_one()
        unit_sale = self.env["daya.unit.sale"].search(
            [("partner_id", "=", self.id)], order="sale_date desc, id desc", limit=1
        )
        validation = self.env["daya.cdb.validation"]._create_and_send(
            self, unit_sale=unit_sale
        )
        return validation._get_form_action()

    def action_view_cdb_validations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "daya_cdb_validation.daya_cdb_validation_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _cdb_item_labels(self):
        field = self.env["daya.cdb.validation.line"]._fields["item"]
        return dict(field._description_selection(self.env))

    def _cdb_missing_items(self):
        """Keys of the validated items that are not filled in."""
        self.ensure_one()
        return [
            item
            for item, fnames in CDB_ITEMS
            if not all(self[fname] for fname in fnames)
        ]

    def _check_cdb_complete(self):
        """Refuse to go on while the customer database is incomplete (a deal needs
        the CDB filled in before the dealer memo)."""
        labels = self._cdb_item_labels()
        for partner in self:
            missing = partner._cdb_missing_items()
            if missing:
                raise UserError(
                    _(
                        "Complete the customer database (CDB) of %(customer)s first. "
                        "Missing: %(missing)s.",
                        customer=partner.display_name,
                        missing=", ".join(labels[item] for item in missing),
                    )
                )
        return True

    @api.model
    def _cdb_nik_mismatches(self, nik, birthdate, gender):
        """What contradicts the NIK among the birth date and gender given."""
        if not nik or nik_problem(nik):
            return []
        mismatches = []
        nik_date = nik_birthdate(nik)
        if birthdate and nik_date and birthdate != nik_date:
            mismatches.append(
                _(
                    "the NIK encodes the date of birth %(nik_date)s, the date entered "
                    "is %(date)s",
                    nik_date=nik_date.strftime("%d/%m/%Y"),
                    date=birthdate.strftime("%d/%m/%Y"),
                )
            )
        if gender and gender != nik_gender(nik):
            labels = dict(self._fields["gender"]._description_selection(self.env))
            mismatches.append(
                _(
                    "the NIK encodes the gender %(nik_gender)s, the gender entered is "
                    "%(gender)s",
                    nik_gender=labels[nik_gender(nik)],
                    gender=labels[gender],
                )
            )
        return mismatches

    def _cdb_values_change(self, vals):
        """Whether writing ``vals`` changes the NIK, birth date or gender."""
        self.ensure_one()
        for fname in NIK_CHECK_FIELDS & set(vals):
            field = self._fields[fname]
            value = vals[fname]
            if fname == "nik":
                value = normalize_nik(value) or False
            new = field.convert_to_record(field.convert_to_cache(value, self), self)
            if new != self[fname]:
                return True
        return False
