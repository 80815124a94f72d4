import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

CRON_BATCH = 1000


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    daya_ktp_photo = fields.Boolean(
        string="KTP Photo",
        readonly=True,
        index=True,
        help="A photo of a customer's identity card: personal data, readable only by "
        "the sales staff of its branch and deleted after its retention.",
    )
    daya_ktp_branch_id = fields.Many2one(
        "daya.branch",
        string="KTP Photo Branch",
        readonly=True,
        index=True,
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def _daya_ktp_check_vals(self, vals_list):
        """The KTP flag and branch are set by the scan (sudo) only, so that no
        user marks or moves a photo to another branch by hand."""
        if self.env.su:
            return
        if any(
            {"daya_ktp_photo", "daya_ktp_branch_id"} & set(vals) for vals in vals_list
        ):
            raise UserError(_("KTP photos are stored by the Scan KTP wizard only."))

    @api.model_create_multi
    def create(self, vals_list):
        self._daya_ktp_check_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._daya_ktp_check_vals([vals])
        return super().write(vals)

    def export_data(self, fields_to_export):
        """A KTP photo never leaves through an export."""
        if self.filtered("daya_ktp_photo"):
            raise UserError(_("KTP photos are personal data and are never exported."))
        return super().export_data(fields_to_export)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _daya_ktp_retention(self):
        """(days kept after the CDB validation, days kept at most) from the system
        parameters daya_ktp.photo_retention_days and daya_ktp.photo_max_days."""
        params = self.env["ir.config_parameter"].sudo()

        def days(key, default):
            try:
                return max(0, int(params.get_param(key, default)))
            except (TypeError, ValueError):
                _logger.warning("%s is not a number of days: %s used", key, default)
                return default

        return (
            days("daya_ktp.photo_retention_days", 30),
            days("daya_ktp.photo_max_days", 365),
        )

    @api.model
    def _daya_ktp_store(self, record, image_bytes, branch):
        """Keep a scanned photo as a KTP attachment of ``record`` (the customer, or
        the lead without one) for the sales staff of ``branch`` (sudo: the flag is
        the scan's own; the caller wrote ``record`` as the user first)."""
        record.ensure_one()
        return self.sudo().create(
            {
                "name": "KTP %s.jpg" % record.id,
                "raw": image_bytes,
                "res_model": record._name,
                "res_id": record.id,
                "daya_ktp_photo": True,
                "daya_ktp_branch_id": branch.id,
            }
        )

    @api.model
    def _cron_delete_ktp_photos(self):
        """Delete the KTP photos past their retention: N days (default 30) after
        the customer's data was validated, and at most M days (default 365) after
        the scan when it never is. Idempotent, in batches; returns the count."""
        after_validation, at_most = self._daya_ktp_retention()
        now = fields.Datetime.now()
        Attachment = self.sudo().with_context(active_test=False)
        photos = Attachment.search(
            [("daya_ktp_photo", "=", True), ("res_model", "=", "res.partner")]
        )
        partners = self.env["res.partner"].sudo().browse(set(photos.mapped("res_id")))
        validated = {
            partner.id: partner.cdb_validated_at
            for partner in partners.exists()
            if partner.cdb_validated_at
        }
        expired = photos.filtered(
            lambda photo: (
                photo.create_date <= now - timedelta(days=at_most)
                or (
                    photo.res_id in validated
                    and validated[photo.res_id]
                    <= now - timedelta(days=after_validation)
                )
            )
        )
        # photos of leads without a customer, past the longest retention
        expired |= Attachment.search(
            [
                ("daya_ktp_photo", "=", True),
                ("res_model", "!=", "res.partner"),
                ("create_date", "<=", now - timedelta(days=at_most)),
            ]
        )
        count = len(expired)
        for start in range(0, count, CRON_BATCH):
            expired[start : start + CRON_BATCH].unlink()
        _logger.info("Daya CRM: %s KTP photo(s) past their retention deleted", count)
        return count
