from odoo import api, fields, models
from odoo.exceptions import AccessError

# The law's deadline to answer a data subject or to notify a breach: 3×24 hours.
RESPONSE_HOURS = 72


class DayaPdpDeadlineMixin(models.AbstractModel):
    """An entry of a UU PDP register answered within 3×24 hours (the requests and
    the breaches): its responsible user gets a reminder activity due by its
    deadline when it is created, and the fields its buttons set are written by the
    system only. Put it first in ``_inherit``, before ``mail.activity.mixin``."""

    _name = "daya.pdp.deadline.mixin"
    _description = "UU PDP Register Entry"

    # the state an entry is created in, the field holding its deadline
    _pdp_open_state = None
    _pdp_deadline_field = None
    # set on creation or by the entry's buttons only
    _pdp_protected_fields = frozenset()

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        for record in records.filtered(
            lambda r: r.state == r._pdp_open_state and r.user_id
        ):
            record.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.to_date(record[self._pdp_deadline_field]),
                user_id=record.user_id.id,
                summary=record._pdp_reminder_summary(),
            )
        return records

    def write(self, vals):
        if self._pdp_protected_fields & set(vals) and not self.env.su:
            raise AccessError(self._pdp_protected_message())
        return super().write(vals)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _pdp_reminder_summary(self):
        """The reminder activity's summary."""
        raise NotImplementedError()

    def _pdp_protected_message(self):
        """Why the protected fields are not edited, in the user's words."""
        raise NotImplementedError()
