from odoo import _, api, models


class DayaFollowupTask(models.Model):
    _inherit = "daya.followup.task"

    # ------------------------------------------------------------
    # BUSINESS METHODS: consent (UU PDP 27/2022)
    # ------------------------------------------------------------

    @api.model
    def _followup_rows(self, rule, units, today, work=None):
        """The follow-ups of a purpose the customer withdrew are recorded as not
        needed, with the reason (so that they are not looked at again); the first
        use of a service reminder records the consent taken from the purchase.
        Both decided on the batch's rows before they are inserted."""
        rows, attempted = super()._followup_rows(rule, units, today, work)
        purpose = rule.pdp_purpose
        if purpose and rows:
            partners = self.env["res.partner"].browse(
                sorted({row["partner_id"] for row in rows})
            )
            partners._daya_record_implied_consents(purpose)
            withdrawn = set(partners._daya_consent_withdrawn(purpose).ids)
            for row in rows:
                if row["state"] == "todo" and row["partner_id"] in withdrawn:
                    row.update(self._daya_without_consent_values())
        return rows, attempted

    def _queue_messages(self, gateways):
        """No WhatsApp or SMS to a customer without the consent for the message's
        purpose: withdrawn, the follow-up is not needed; never given (marketing),
        it becomes a call; both with the reason."""
        withdrawn, unconsented = self._daya_consent_check()
        withdrawn._daya_cancel_without_consent()
        unconsented.sudo().write(
            {
                "channel": "call",
                "note": _(
                    "Call instead of a message: the customer has not given their "
                    "consent to this purpose (UU PDP). Ask for it during the call."
                ),
            }
        )
        blocked = withdrawn | unconsented
        return super(DayaFollowupTask, self - blocked)._queue_messages(gateways)

    def _daya_consent_check(self):
        """``(withdrawn, unconsented)``: the tasks whose customer withdrew the
        consent to their purpose, and those whose customer never gave it (a
        purpose that needs a recorded consent)."""
        withdrawn = unconsented = self.browse()
        for purpose in set(self.rule_id.mapped("pdp_purpose")) - {False}:
            tasks = self.filtered(lambda t, p=purpose: t.rule_id.pdp_purpose == p)
            partners = tasks.partner_id
            allowed = partners._daya_consent_allows(purpose)
            refused = partners._daya_consent_withdrawn(purpose)
            withdrawn |= tasks.filtered(lambda t, r=refused: t.partner_id in r)
            unconsented |= tasks.filtered(
                lambda t, a=allowed, r=refused: t.partner_id not in a | r
            )
        return withdrawn, unconsented

    def _daya_cancel_without_consent(self):
        """Record the follow-ups as not needed because the customer withdrew the
        consent to their purpose (a system step, see ``_daya_stop_processing``)."""
        if not self:
            return
        self.sudo().write(self._daya_without_consent_values())

    @api.model
    def _daya_without_consent_values(self):
        """A follow-up not needed because its customer withdrew the consent."""
        return {
            "state": "cancel",
            "user_id": False,
            "note": _(
                "Not needed: the customer withdrew their consent to this purpose "
                "(UU PDP)."
            ),
        }

    @api.model
    def _daya_stop_processing(self, partners, purpose):
        """Stop ``purpose`` for ``partners``: their open follow-ups of that purpose
        are not needed and their queued messages are not sent."""
        tasks = self.search(
            [
                ("partner_id", "in", partners.ids),
                ("state", "=", "todo"),
                ("rule_id.pdp_purpose", "=", purpose),
            ]
        )
        messages = self.env["daya.message.log"].search(
            [("task_id", "in", tasks.ids), ("state", "=", "outgoing")]
        )
        messages.write(
            {
                "state": "failed",
                "error": _("Not sent: the customer withdrew their consent."),
            }
        )
        tasks._daya_cancel_without_consent()
        return tasks
