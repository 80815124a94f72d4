from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# The code tables of the main dealer's files (CDB/A2 reports). Another addon adds
# its tables with selection_add and its target field in CODE_TARGETS.
CODE_TYPES = [
    ("leasing", "Leasing Company"),
    ("color", "Colour"),
    ("product", "Motorcycle (type and colour)"),
]
# the tables of the main dealer's files: the PIC CRM keeps them
MAIN_DEALER_TYPES = ("leasing", "color", "product")
# the field holding what a code of each table stands for
CODE_TARGETS = {
    "leasing": "leasing_id",
    "color": "color_id",
    "product": "product_id",
}


def code_key(code):
    """A code as it is matched: capitals, single spaces, nothing around it."""
    return " ".join(str(code or "").split()).upper()


def check_code_targets(mappings, targets):
    """Each of ``mappings`` (of any code-table model: this one, the DMS's) names
    what its code stands for, in the field ``targets`` gives for its table, and a
    leasing code a leasing company."""
    labels = dict(mappings._fields["code_type"]._description_selection(mappings.env))
    for mapping in mappings.sudo():
        target = targets.get(mapping.code_type)
        if target and not mapping[target]:
            raise ValidationError(
                _(
                    "%(table)s code %(code)s: choose the %(field)s it stands for.",
                    table=labels[mapping.code_type],
                    code=mapping.code,
                    field=mappings._fields[target]._description_string(mappings.env),
                )
            )
        if mapping.code_type == "leasing" and not mapping.leasing_id.is_leasing_company:
            raise ValidationError(
                _("%s is not a leasing company.", mapping.leasing_id.display_name)
            )


class DayaCodeMap(models.Model):
    """What a code or name of another system stands for here: the main dealer's
    leasing short names, colour codes and names (English or Indonesian) and
    product codes. Data, kept by the PIC CRM: a new code needs no programmer."""

    _name = "daya.code.map"
    _description = "Code Mapping"
    _order = "code_type, code_key, id"
    _rec_name = "code"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    code_type = fields.Selection(
        CODE_TYPES, string="Code Table", required=True, index=True
    )
    code = fields.Char(
        required=True,
        help="The code or name as the file writes it; capitals and spaces do not "
        "matter.",
    )
    code_key = fields.Char(
        string="Matched Code", compute="_compute_code_key", store=True, readonly=True
    )
    name = fields.Char(string="Description")
    leasing_id = fields.Many2one(
        "res.partner",
        string="Leasing Company",
        ondelete="cascade",
        domain="[('is_leasing_company', '=', True)]",
    )
    color_id = fields.Many2one(
        "product.attribute.value",
        string="Colour",
        ondelete="cascade",
        domain=lambda self: [
            (
                "attribute_id",
                "=",
                (
                    self.env.ref(
                        "daya_base.product_attribute_motor_color",
                        raise_if_not_found=False,
                    )
                    or self.env["product.attribute"]
                ).id,
            )
        ],
    )
    product_id = fields.Many2one(
        "product.product",
        string="Motorcycle",
        ondelete="cascade",
        domain="[('product_tmpl_id.is_motorcycle', '=', True)]",
        help="The motorcycle type in its colour.",
    )
    active = fields.Boolean(default=True)

    # the unique constraint also indexes the lookup
    _sql_constraints = [
        (
            "code_uniq",
            "unique(code_type, code_key)",
            "This code is already mapped in this code table.",
        ),
    ]

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("code")
    def _compute_code_key(self):
        for mapping in self:
            mapping.code_key = code_key(mapping.code)

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("code_type", "code", "leasing_id", "color_id", "product_id")
    def _check_target(self):
        if not all(self.mapped("code_key")):
            raise ValidationError(_("A code mapping needs a code."))
        check_code_targets(self, CODE_TARGETS)
        colour = self.env.ref("daya_base.product_attribute_motor_color")
        for mapping in self.sudo():
            if mapping.code_type == "color" and mapping.color_id.attribute_id != colour:
                raise ValidationError(
                    _(
                        "%s is not a value of the Colour attribute.",
                        mapping.color_id.display_name,
                    )
                )
            if mapping.code_type == "product" and (
                not mapping.product_id.product_tmpl_id.is_motorcycle
            ):
                raise ValidationError(
                    _("%s is not a motorcycle type.", mapping.product_id.display_name)
                )

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _daya_code_table(self, code_types):
        """{(code table, matched code): the record it stands for} of the active
        mappings of ``code_types``, in one query (the tables are small: read once
        per file)."""
        table = {}
        for mapping in self.search([("code_type", "in", list(code_types))]):
            target = CODE_TARGETS.get(mapping.code_type)
            if target:
                table[(mapping.code_type, mapping.code_key)] = mapping[target]
        return table
