import base64
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.ktp_ocr import KtpReadError, read_ktp

_logger = logging.getLogger(__name__)

# larger photos are refused before any decoding
MAX_PHOTO_BYTES = 15 * 1024 * 1024


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _daya_read_ktp(self, image_bytes):
        """Read a KTP photo (bytes of a JPEG/PNG/... image).

        Returns a dict with ``nik``, ``name``, ``birth_place``, ``birthdate`` (a
        date), ``gender`` (``male``/``female``), ``street``, ``rt_rw``, ``village``,
        ``district``, ``religion``, ``marital_status``, ``occupation`` (``False``
        when not read), ``unread`` (the keys not read) and ``warnings`` (why a NIK
        read was left out: ``nik_invalid``, ``nik_birthdate``, ``nik_gender``, with
        the NIK read). Nothing is stored."""
        self._daya_check_staff()
        if isinstance(image_bytes, str):  # over JSON-RPC: base64
            try:
                image_bytes = base64.b64decode(image_bytes, validate=True)
            except ValueError as error:
                raise UserError(_("The KTP photo is not an image.")) from error
        if not image_bytes:
            raise UserError(_("Take or upload a photo of the KTP first."))
        if len(image_bytes) > MAX_PHOTO_BYTES:
            raise UserError(
                _(
                    "The KTP photo is too large: at most %(mb)s MB.",
                    mb=MAX_PHOTO_BYTES >> 20,
                )
            )
        try:
            return read_ktp(image_bytes, today=fields.Date.context_today(self))
        except KtpReadError as error:
            if error.args and error.args[0] == "missing":
                _logger.error(
                    "KTP scan: Tesseract OCR or its Python packages are missing"
                )
                raise UserError(
                    _("The KTP reader (Tesseract OCR) is not installed on the server.")
                ) from error
            raise UserError(
                _("The file is not a photo that can be read: take a JPEG or PNG photo.")
            ) from error
