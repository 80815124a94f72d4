from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from ..tools import nik_problem, normalize_nik, phone_to_e164, phone_to_international


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    nik = fields.Char(
        string="NIK",
        copy=False,
        tracking=True,
        help="The 16-digit number of the customer's identity card (KTP).",
    )
    bpa_code = fields.Char(
        string="BPA Code",
        copy=False,
        help="Customer code in the dealer's system.",
    )
    mobile_e164 = fields.Char(
        string="Mobile (E.164)",
        compute="_compute_mobile_e164",
        store=True,
        index=True,
        help="The mobile number normalized to E.164 (+62…), used to find customers.",
    )
    phone_e164 = fields.Char(
        string="Phone (E.164)",
        compute="_compute_phone_e164",
        store=True,
        index=True,
    )
    is_leasing_company = fields.Boolean(
        string="Leasing Company",
        index=True,
        help="A finance company of credit purchases.",
    )
    daya_lookup = fields.Char(
        string="NIK / Phone / BPA",
        compute="_compute_daya_lookup",
        search="_search_daya_lookup",
        help="Find a customer by NIK, BPA code or any spelling of a phone number.",
    )

    # the unique constraints also index nik and bpa_code for lookups
    _sql_constraints = [
        ("nik_uniq", "unique(nik)", "Another customer already has this NIK."),
        ("bpa_code_uniq", "unique(bpa_code)", "Another customer has this BPA code."),
    ]

    # ------------------------------------------------------------
    # COMPUTES / SEARCH
    # ------------------------------------------------------------

    @api.depends("mobile")
    def _compute_mobile_e164(self):
        for partner in self:
            partner.mobile_e164 = phone_to_e164(partner.mobile)

    @api.depends("phone")
    def _compute_phone_e164(self):
        for partner in self:
            partner.phone_e164 = phone_to_e164(partner.phone)

    def _compute_daya_lookup(self):
        self.daya_lookup = False

    def _search_daya_lookup(self, operator, value):
        if operator not in ("=", "ilike") or not isinstance(value, str):
            raise UserError(_("Search customers by NIK, BPA code or phone number."))
        value = value.strip()
        domain = [("bpa_code", "=ilike", value)]
        nik = normalize_nik(value)
        if len(nik) == 16 and nik.isdigit():
            domain = expression.OR([domain, [("nik", "=", nik)]])
        e164 = phone_to_e164(value)
        if e164:
            domain = expression.OR(
                [domain, ["|", ("mobile_e164", "=", e164), ("phone_e164", "=", e164)]]
            )
        return domain

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("nik")
    def _check_nik(self):
        messages = {
            "length": _("The NIK %(nik)s must have exactly 16 digits."),
            "province": _("The NIK %(nik)s does not start with a valid province code."),
            "birthdate": _(
                "The NIK %(nik)s does not contain a valid birth date (digits 7-12 are "
                "the birth date as DDMMYY, with 40 added to the day for women)."
            ),
            "serial": _("The NIK %(nik)s has an invalid serial number (0000)."),
        }
        for partner in self.filtered("nik"):
            problem = nik_problem(partner.nik)
            if problem:
                raise ValidationError(messages[problem] % {"nik": partner.nik})

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._daya_normalize_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._daya_normalize_vals(vals)
        return super().write(vals)

    @api.model
    def _name_search(
        self, name, args=None, operator="ilike", limit=100, name_get_uid=None
    ):
        """Typing a NIK, BPA code or phone number (any spelling) finds the customer."""
        if name and operator in ("ilike", "=ilike", "=") and len(name.strip()) >= 5:
            ids = list(
                self._search(
                    expression.AND([args or [], [("daya_lookup", "=", name)]]),
                    limit=limit,
                    access_rights_uid=name_get_uid,
                )
            )
            if ids:
                return ids
        return super()._name_search(
            name, args=args, operator=operator, limit=limit, name_get_uid=name_get_uid
        )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _daya_normalize_vals(self, vals):
        """Normalize NIK and phone numbers in ``vals``; refuse what can't be parsed."""
        if "nik" in vals:
            vals["nik"] = normalize_nik(vals["nik"]) or False
        labels = {"phone": _("The phone number"), "mobile": _("The mobile number")}
        for fname, label in labels.items():
            number = vals.get(fname)
            if not number:
                continue
            e164 = phone_to_e164(number)
            if not e164:
                raise ValidationError(
                    _(
                        "%(label)s %(number)s is not a valid phone number. Use a "
                        "number such as 0812-3456-7890 or +62 812-3456-7890.",
                        label=label,
                        number=number,
                    )
                )
            vals[fname] = phone_to_international(e164)
        return vals

    @api.model
    def _find_by_identity(self, nik=None, phone=None, bpa_code=None):
        """Customers matching any of the given NIK, phone (any spelling) or BPA code."""
        domains = []
        if nik:
            domains.append([("nik", "=", normalize_nik(nik))])
        if bpa_code:
            domains.append([("bpa_code", "=ilike", bpa_code.strip())])
        e164 = phone_to_e164(phone) if phone else False
        if e164:
            domains.append(["|", ("mobile_e164", "=", e164), ("phone_e164", "=", e164)])
        if not domains:
            return self.browse()
        return self.search(expression.OR(domains))
