"""The follow-up rules' message templates are rendered with Odoo's
``mail.render.mixin`` now: each template of the old syntax (``{name}``, in every
language it is stored in) becomes an inline template
(``{{ object.partner_id.name }}``). A template the old code could not render either
is left as it is (its messages keep failing with the reason until it is fixed)."""

import json

from odoo.addons.daya_crm_followup.models.daya_followup_rule import (
    convert_legacy_template,
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "SELECT id, message_template FROM daya_followup_rule "
        "WHERE message_template IS NOT NULL"
    )
    for rule_id, templates in cr.fetchall():
        converted = {
            lang: convert_legacy_template(text) for lang, text in templates.items()
        }
        if converted != templates:
            cr.execute(
                "UPDATE daya_followup_rule SET message_template = %s WHERE id = %s",
                (json.dumps(converted), rule_id),
            )
