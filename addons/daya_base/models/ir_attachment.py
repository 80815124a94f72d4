from odoo import api, models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def read_group(self, domain, fields, groupby, *args, **kwargs):
        """Count only the attachments the user's ``search`` finds.

        Access to an attachment follows its document, checked in ``_search`` (not
        by record rules); Odoo 16's ``read_group`` does not go through it and
        would count another branch's attachments."""
        if not self.env.su:
            domain = [("id", "in", self.search(list(domain or [])).ids)]
        return super().read_group(domain, fields, groupby, *args, **kwargs)
