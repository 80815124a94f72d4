from odoo import models


class MailMessage(models.Model):
    _inherit = "mail.message"

    def name_get(self):
        """A message's name is its document's (``record_name``): only for messages
        the user may read (Odoo 16's ``name_get`` skips mail's access check that
        ``read`` makes)."""
        if not self.env.su:
            self.check_access_rule("read")
        return super().name_get()
