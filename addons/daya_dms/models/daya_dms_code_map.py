from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.daya_base.models.daya_code_map import check_code_targets
from odoo.addons.daya_cdb_validation.models.res_partner import (
    HOUSE_STATUS,
    MONTHLY_EXPENSE,
    MOTORCYCLE_USE,
    PREVIOUS_MOTORCYCLE,
)

# the selection values a code of each type maps to
CODE_TYPES = [
    ("prospect_source", "Prospect Source (sumberProspect)"),
    ("prospect_status", "Prospect Status (statusProspect)"),
    ("payment_type", "Payment Type (tipePembayaran)"),
    ("occupation", "Occupation (kodePekerjaan)"),
    ("leasing", "Leasing Company (idFinanceCompany)"),
    ("salesperson", "Salesperson (idSalesPeople)"),
    ("gender", "Gender (jenisKelamin)"),
    ("monthly_expense", "Monthly Expense (pengeluaran)"),
    ("house_status", "House Status (statusRumah)"),
    ("motorcycle_use", "Motorcycle Use (penggunaanMotor)"),
    ("previous_motorcycle", "Motorcycle Owned Now (idMerkMotorYangDimilikiSekarang)"),
]
SELECTION_VALUES = {
    "prospect_source": ("showroom", "exhibition", "pos", "event", "leads"),
    "prospect_status": ("hot", "medium", "low", "deal", "not_deal"),
    "payment_type": ("cash", "credit"),
    # the customer database's selections (daya_cdb_validation)
    "gender": ("male", "female"),
    "monthly_expense": tuple(key for key, _label in MONTHLY_EXPENSE),
    "house_status": tuple(key for key, _label in HOUSE_STATUS),
    "motorcycle_use": tuple(key for key, _label in MOTORCYCLE_USE),
    "previous_motorcycle": tuple(key for key, _label in PREVIOUS_MOTORCYCLE),
}
TARGET_FIELDS = {
    "occupation": "occupation_id",
    "leasing": "leasing_id",
    "salesperson": "user_id",
}


class DayaDmsCodeMap(models.Model):
    """What a DMS code means here: DMS providers differ, so the code tables are
    data, editable by head office."""

    _name = "daya.dms.code.map"
    _description = "DMS Code Mapping"
    _order = "code_type, code, id"
    _rec_name = "code"

    backend_id = fields.Many2one(
        "daya.dms.backend",
        string="DMS Connection",
        ondelete="cascade",
        help="Empty: for every DMS connection. A mapping of the connection wins "
        "over the general one.",
    )
    code_type = fields.Selection(CODE_TYPES, string="Code Table", required=True)
    code = fields.Char(string="DMS Code", required=True)
    name = fields.Char(string="DMS Meaning", help="What the DMS calls it.")
    value = fields.Char(
        help="For sources: showroom, exhibition, pos, event, leads. For statuses: "
        "hot, medium, low, deal, not_deal. For payment types: cash, credit. For the "
        "customer data (gender, monthly expense, house status, motorcycle use, "
        "motorcycle owned now): the key of the customer's field, e.g. male, 1m_2m, "
        "own, work, honda (none: no motorcycle, this one is the first)."
    )
    occupation_id = fields.Many2one("daya.occupation")
    leasing_id = fields.Many2one(
        "res.partner",
        string="Leasing Company",
        domain="[('is_leasing_company', '=', True)]",
    )
    user_id = fields.Many2one(
        "res.users", string="Salesperson", domain="[('share', '=', False)]"
    )

    _sql_constraints = [
        (
            "code_uniq",
            "unique(backend_id, code_type, code)",
            "This DMS code is already mapped for this connection.",
        ),
    ]

    @api.constrains("code_type", "value", "occupation_id", "leasing_id", "user_id")
    def _check_target(self):
        labels = dict(self._fields["code_type"]._description_selection(self.env))
        check_code_targets(self, TARGET_FIELDS)
        for mapping in self:
            allowed = SELECTION_VALUES.get(mapping.code_type)
            if allowed and mapping.value not in allowed:
                raise ValidationError(
                    _(
                        "%(table)s code %(code)s: the value must be one of %(values)s.",
                        table=labels[mapping.code_type],
                        code=mapping.code,
                        values=", ".join(allowed),
                    )
                )
