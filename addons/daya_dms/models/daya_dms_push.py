# pylint: disable=consider-merging-classes-inherited
import logging
import re
import time
from datetime import timedelta

from psycopg2 import errors as pg_errors

from odoo import api, fields, models

from .daya_dms_backend import RETRY_MINUTES, DmsError

_logger = logging.getLogger(__name__)

# the advisory lock of a backend's push (with the backend's id): one sender at
# a time, whatever runs it (the scheduled action in two workers, a button)
PUSH_LOCK = 1357013
PUSH_BATCH = 100


def _local_number(number):
    """A phone number as the DMS writes it: 0812..., not +62 812-..."""
    digits = re.sub(r"\D", "", number or "")
    return "0" + digits[2:] if digits.startswith("62") else digits


# sending apart from pulling, as the import is: one file per direction
class DayaDmsBackend(models.Model):
    _inherit = "daya.dms.backend"

    # ------------------------------------------------------------
    # BUSINESS METHODS: pushing new leads as prospects
    # ------------------------------------------------------------

    @api.model
    def _cron_dms_push(self):
        """Send the new leads of every backend whose sending is switched on."""
        for backend in self.search([("push_enabled", "=", True)]):
            backend._dms_push()

    def _dms_push_candidates(self, limit=PUSH_BATCH):
        """The leads to send: made in the CRM (not pulled) in the backend's
        branches since sending was switched on, not sent yet, their retry due."""
        self.ensure_one()
        return (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search(
                [
                    ("branch_id", "in", self.branch_ids.ids),
                    ("create_date", ">=", self.push_since),
                    ("dms_backend_id", "=", False),
                    ("dms_prospect_id", "=", False),
                    ("dms_push_state", "!=", "sent"),
                    "|",
                    ("dms_push_next", "=", False),
                    ("dms_push_next", "<=", fields.Datetime.now()),
                ],
                order="id",
                limit=limit,
            )
        )

    def _dms_push(self):
        """Send the backend's new leads to the DMS as prospects, one call each,
        committing each result; logs the run. Sent once: one sender per backend
        at a time (an advisory lock), and each lead locked and checked again
        before its call (a run that read it before another sent it skips it).
        A failed call is retried with back-off. Returns the log, or nothing when
        there was nothing to send or another run is sending."""
        self.ensure_one()
        if not self.push_enabled or not self.push_since:
            return self.env["daya.dms.log"]
        cr = self.env.cr
        cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (PUSH_LOCK, self.id))
        if not cr.fetchone()[0]:
            return self.env["daya.dms.log"]  # another run is sending
        leads = self._dms_push_candidates()
        if not leads:
            return self.env["daya.dms.log"]
        started = time.monotonic()
        counts = {"received": len(leads), "created": 0, "rejected": 0}
        errors = []
        url = self._dms_push_url()
        codes = self._dms_reverse_codes()
        for lead in leads:
            if not self._dms_push_lock(lead):
                counts["received"] -= 1
                continue
            attempts = lead.dms_push_attempts + 1
            try:
                answer = self._dms_call(url, self._dms_prospect_body(lead, codes))
            except DmsError as error:
                delay = RETRY_MINUTES[min(attempts, len(RETRY_MINUTES)) - 1]
                lead.sudo().write(
                    {
                        "dms_push_state": "failed",
                        "dms_push_attempts": attempts,
                        "dms_push_next": fields.Datetime.now()
                        + timedelta(minutes=delay),
                        "dms_push_error": str(error)[:500],
                    }
                )
                errors.append("%s: %s" % (lead.lead_number or lead.id, error))
                counts["rejected"] += 1
            else:
                dms_id = answer.get("idProspect") if isinstance(answer, dict) else None
                lead.sudo().write(
                    {
                        "dms_push_state": "sent",
                        "dms_push_attempts": attempts,
                        "dms_push_next": False,
                        "dms_push_error": False,
                        "dms_prospect_id": str(dms_id or lead.lead_number),
                    }
                )
                counts["created"] += 1
            self._dms_commit()
            self._dms_push_relock()
        now = fields.Datetime.now()
        log = (
            self.env["daya.dms.log"]
            .sudo()
            .create(
                dict(
                    counts,
                    backend_id=self.id,
                    direction="push",
                    endpoint="prsp",
                    date_from=self.push_since,
                    date_to=now,
                    state="failed" if errors and not counts["created"] else "done",
                    error="\n".join(errors) or False,
                    rejection_reasons="\n".join(errors) or False,
                    duration=time.monotonic() - started,
                )
            )
        )
        self._dms_commit()
        return log

    def _dms_push_lock(self, lead):
        """Lock the lead's row and check it is still to send: False when another
        transaction holds it or sent it after this one started reading."""
        cr = self.env.cr
        try:
            with cr.savepoint(flush=False):
                cr.execute(
                    "SELECT dms_push_state FROM crm_lead WHERE id = %s "
                    "FOR UPDATE NOWAIT",
                    (lead.id,),
                )
                row = cr.fetchone()
        except (
            pg_errors.LockNotAvailable,
            pg_errors.SerializationFailure,
        ):
            return False
        return bool(row) and row[0] != "sent"

    def _dms_push_relock(self):
        """After a commit, take the backend's lock again (a commit released it)."""
        cr = self.env.cr
        cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (PUSH_LOCK, self.id))
        return cr.fetchone()[0]

    def _dms_push_url(self):
        path = (self.push_path or "prsp/add").strip()
        if path.startswith(("http://", "https://")):
            return path
        return "%s/%s" % (self.base_url.rstrip("/"), path.lstrip("/"))

    def _dms_reverse_codes(self):
        """The DMS code of each value of the code tables (this backend's mapping
        first): ``{(code type, value or record id): code}``."""
        codes = {}
        maps = self.env["daya.dms.code.map"].search(
            [("backend_id", "in", [self.id, False])]
        )
        for mapping in maps.sorted(lambda m: (not m.backend_id, m.code)):
            target = (
                mapping.value
                or mapping.occupation_id.id
                or mapping.leasing_id.id
                or mapping.user_id.id
            )
            codes.setdefault((mapping.code_type, target), mapping.code)
        return codes

    def _dms_prospect_body(self, lead, codes):
        """A lead as a DGI prospect (``prsp``)."""
        motor_type = lead.motor_type_id
        type_code = motor_type.default_code or (
            motor_type.product_variant_ids.filtered("default_code")[:1].default_code
        )
        created = self._dms_format_time(lead.create_date.replace(microsecond=0))
        return {
            "dealerId": self.dealer_code,
            "idProspect": lead.lead_number or str(lead.id),
            "sumberProspect": codes.get(("prospect_source", lead.sales_source), ""),
            "tanggalProspect": "%s/%s/%s" % (created[8:10], created[5:7], created[:4]),
            "namaLengkap": lead.contact_name or lead.partner_id.name or lead.name,
            "noKontak": _local_number(lead.mobile or lead.phone),
            "noKtp": lead.nik or "",
            "alamat": lead.street or "",
            "kodePos": lead.zip or "",
            "kodePekerjaan": codes.get(("occupation", lead.occupation_id.id), ""),
            "statusProspect": codes.get(("prospect_status", lead.prospect_status), ""),
            "idSalesPeople": codes.get(("salesperson", lead.user_id.id), ""),
            "unit": [{"kodeTipeUnit": type_code or "", "salesProgramId": ""}],
        }
