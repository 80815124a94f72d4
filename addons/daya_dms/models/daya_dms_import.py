import json
import re

import psycopg2

from odoo import _, models
from odoo.exceptions import UserError

# a KPB job in a work order: "KPB2", "KPB 2", "ASS2", "ASS-2"
KPB_NUMBER_RE = re.compile(r"(?:KPB|ASS)\s*-?\s*([1-4])(?!\d)", re.IGNORECASE)
KPB_WORD_RE = re.compile(r"KPB|ASS\s*-?\s*\d", re.IGNORECASE)
# the key that names each endpoint's record in a rejection
RECORD_KEYS = {
    "prsp": "idProspect",
    "spk": "idSpk",
    "lsng": "idDokumenPengajuan",
    "inv1": "idInvoice",
    "bast": "noRangka",
    "doch": "noRangka",
    "pkb": "noWorkOrder",
}
# a record refused for one of these is counted rejected, with its reason; the
# window goes on
REJECTED = (UserError, ValueError, TypeError, KeyError, psycopg2.Error)
# the DMS's keys for a document's STNK receipt date, in order of preference
STNK_DATE_KEYS = (
    "tanggalPenerimaanSTNKDariBiro",
    "tanggalJadiSTNK",
    "tanggalSTNK",
)
SERVICE_DATE_KEYS = ("tanggalServis", "tanggalPKB", "waktuPKB", "createdTime")
SERVICE_JOB_KEYS = ("kodeJasa", "namaJasa", "idJob", "jenisPekerjaan", "jobType")
PROSPECT_STATUSES = ("hot", "medium", "low")


class DmsRecordError(ValueError):
    """A DMS record that cannot be imported: the message says why."""


def _error_text(error):
    if isinstance(error, UserError):
        return error.args[0] if error.args else str(error)
    if isinstance(error, psycopg2.Error):
        return (error.diag.message_primary if error.diag else None) or str(error)
    return str(error)


class DayaDmsBackend(models.Model):
    _inherit = "daya.dms.backend"

    # ------------------------------------------------------------
    # BUSINESS METHODS: import
    # ------------------------------------------------------------

    def _dms_import(self, endpoint, data):
        """Upsert the records of one pulled window, each in its own savepoint: a
        bad record is rejected with its reason, the others are kept. Returns the
        log's counts."""
        self.ensure_one()
        records = self._dms_records(endpoint, data)
        handler = getattr(self, "_dms_import_%s" % endpoint)
        counts = {"received": len(records), "created": 0, "updated": 0, "rejected": 0}
        reasons, payloads = [], []
        for record in records:
            try:
                with self.env.cr.savepoint():
                    result = handler(record)
            except REJECTED as error:
                key = (
                    record.get(RECORD_KEYS[endpoint])
                    if isinstance(record, dict)
                    else None
                )
                reason = "%s: %s" % (key or _("(no id)"), _error_text(error))
                reasons.append(reason)
                payloads.append(
                    "%s\n%s"
                    % (reason, json.dumps(record, ensure_ascii=False, default=str))
                )
                counts["rejected"] += 1
                continue
            if result in ("created", "updated"):
                counts[result] += 1
        counts["rejection_reasons"] = "\n".join(reasons)
        counts["rejected_payloads"] = "\n\n".join(payloads)
        return counts

    def _dms_records(self, endpoint, data):
        """The records of an answer: a delivery or document handling row per
        motorcycle of its ``detail``, with the header's keys."""
        if endpoint not in ("bast", "doch"):
            return list(data)
        records = []
        for row in data:
            details = row.get("detail") if isinstance(row, dict) else None
            if isinstance(details, list) and details:
                header = {key: value for key, value in row.items() if key != "detail"}
                records.extend(
                    dict(header, **detail) if isinstance(detail, dict) else detail
                    for detail in details
                )
            else:
                records.append(row)
        return records

    # one method per endpoint: returns "created", "updated" or "unchanged"

    def _dms_import_prsp(self, row):
        """A prospect: a Leads Prospect lead, created through the lead's own
        rules (customer by NIK, then phone, else new; the duplicate guard)."""
        dms_id = self._dms_get(row, "idProspect", required=True)
        Lead = self.env["crm.lead"].with_context(active_test=False)
        lead = Lead.search([("dms_prospect_id", "=", dms_id)], limit=1)
        name = self._dms_get(row, "namaLengkap", required=True)
        status = self._dms_map("prospect_status", self._dms_get(row, "statusProspect"))
        source = self._dms_map("prospect_source", self._dms_get(row, "sumberProspect"))
        occupation = self._dms_map("occupation", self._dms_get(row, "kodePekerjaan"))
        units = self._dms_get(row, "unit") or []
        type_code = (
            units[0].get("kodeTipeUnit")
            if isinstance(units, list) and (units and isinstance(units[0], dict))
            else None
        )
        motor_type = self._dms_motor_type(type_code)
        vals = {
            "sales_source": source.value or False,
            "prospect_status": (
                "hot"
                if status.value == "deal"
                else (status.value if status.value in PROSPECT_STATUSES else False)
            ),
            "lead_category": "order_in" if status.value == "deal" else "prospect",
            "motor_type_id": motor_type.id,
            "occupation_id": occupation.occupation_id.id,
        }
        if lead:
            if not lead.active or lead.type != "lead":
                return "unchanged"  # the sales team took it over
            if status.value == "not_deal":
                vals["active"] = False
            return "updated" if self._dms_write_changes(lead, vals) else "unchanged"
        user = self._dms_salesperson(self._dms_get(row, "idSalesPeople"))
        vals.update(
            {
                "name": name,
                "type": "lead",
                "contact_name": name,
                "mobile": self._dms_get(row, "noKontak") or False,
                "nik": self._dms_get(row, "noKtp") or False,
                "street": self._dms_get(row, "alamat") or False,
                "zip": self._dms_get(row, "kodePos") or False,
                "user_id": user.id,
                "branch_id": self._dms_branch(user).id,
                "active": status.value != "not_deal",
                "dms_backend_id": self.id,
                "dms_prospect_id": dms_id,
                "dms_prospect_date": self._dms_parse_date(
                    self._dms_get(row, "tanggalProspect")
                ),
            }
        )
        Lead.create(vals)
        return "created"

    def _dms_import_spk(self, row):
        """A deal (SPK): the opportunity of its prospect becomes Order In with
        the type, colour, price and cash or credit; without a pulled prospect,
        the opportunity is created from the SPK."""
        dms_id = self._dms_get(row, "idSpk", required=True)
        Lead = self.env["crm.lead"].with_context(active_test=False)
        lead = Lead.search([("dms_spk_id", "=", dms_id)], limit=1)
        prospect_id = self._dms_get(row, "idProspect")
        if not lead and prospect_id:
            lead = Lead.search([("dms_prospect_id", "=", prospect_id)], limit=1)
        units = self._dms_get(row, "unit", required=True)
        unit = units[0] if isinstance(units, list) and units else None
        if not isinstance(unit, dict):
            raise DmsRecordError(_("unit: the deal names no motorcycle"))
        motor_type = self._dms_motor_type(self._dms_get(unit, "kodeTipeUnit", True))
        color = self._dms_color(motor_type, self._dms_get(unit, "kodeWarna"))
        payment = self._dms_map(
            "payment_type", self._dms_get(unit, "tipePembayaran", True), required=True
        )
        facts = {
            "dms_spk_id": dms_id,
            "dms_spk_date": self._dms_parse_date(self._dms_get(row, "tanggalPesanan")),
            "dms_spk_status": self._dms_get(row, "statusSPK") or False,
        }
        deal = dict(
            facts,
            lead_category="order_in",
            motor_type_id=motor_type.id,
            motor_color_id=color.id,
            payment_type=payment.value,
            expected_revenue=self._dms_amount(unit.get("hargaJual"))
            - self._dms_amount(unit.get("diskon")),
        )
        if lead:
            if (
                lead.active
                and lead.daya_stage_code != "won"
                and not lead.dealer_memo_id
            ):
                if lead.type != "opportunity":
                    deal["type"] = "opportunity"
                    deal["stage_id"] = self.env.ref("daya_crm_leads.stage_new").id
                changed = self._dms_write_changes(lead, deal)
            else:  # won or lost: the deal's facts only
                changed = self._dms_write_changes(lead, facts)
            return "updated" if changed else "unchanged"
        name = self._dms_get(row, "namaCustomer", required=True)
        user = self._dms_salesperson(self._dms_get(row, "idSalesPeople"))
        deal.update(
            {
                "name": name,
                "type": "opportunity",
                "contact_name": name,
                "nik": self._dms_get(row, "noKtp") or False,
                "mobile": self._dms_get(row, "noKontak")
                or self._dms_get(row, "noHp")
                or False,
                "email_from": self._dms_get(row, "email") or False,
                "street": self._dms_get(row, "alamat") or False,
                "user_id": user.id,
                "branch_id": self._dms_branch(user).id,
                "dms_backend_id": self.id,
                "dms_prospect_id": prospect_id or False,
            }
        )
        Lead.create(deal)
        return "created"

    def _dms_import_lsng(self, row):
        """A leasing application: the deal's leasing company, down payment,
        tenor and instalment."""
        lead = self._dms_deal(self._dms_get(row, "idSPK", required=True))
        leasing = self._dms_map(
            "leasing", self._dms_get(row, "idFinanceCompany", True), required=True
        )
        vals = {
            "payment_type": "credit",
            "leasing_id": leasing.leasing_id.id,
            "down_payment": self._dms_amount(row.get("jumlahDP")),
            "dms_tenor": int(self._dms_amount(row.get("tenor"))),
            "dms_instalment": self._dms_amount(row.get("jumlahCicilan")),
            "dms_leasing_application_id": self._dms_get(row, "idDokumenPengajuan")
            or False,
        }
        if not lead.leasing_status:
            vals["leasing_status"] = "submitted"
        return "updated" if self._dms_write_changes(lead, vals) else "unchanged"

    def _dms_import_inv1(self, row):
        """A billing (invoice) of a deal: its number, amount and status."""
        lead = self._dms_deal(self._dms_get(row, "idSPK", required=True))
        vals = {
            "dms_invoice_id": self._dms_get(row, "idInvoice", required=True),
            "dms_invoice_amount": self._dms_amount(row.get("amount")),
            "dms_billing_status": str(self._dms_get(row, "status") or "") or False,
        }
        return "updated" if self._dms_write_changes(lead, vals) else "unchanged"

    def _dms_import_bast(self, row):
        """A delivered motorcycle (BASTK): its unit sale, delivered, with the
        customer, type, colour, payment and sale date of its deal. The delivery
        date starts the first call and KPB schedule."""
        frame = str(self._dms_get(row, "noRangka", required=True)).upper()
        delivery_date = self._dms_parse_date(
            self._dms_get(row, "tanggalPengiriman", required=True)
        )
        vals = {
            "delivery_date": delivery_date,
            "dms_delivery_id": self._dms_get(row, "deliveryDocumentId", required=True),
        }
        engine = self._dms_get(row, "noMesin")
        Unit = self.env["daya.unit.sale"]
        unit = Unit.search([("frame_number", "=", frame)], limit=1)
        if unit:
            if engine and not unit.engine_number:
                vals["engine_number"] = engine
            return "updated" if self._dms_write_changes(unit, vals) else "unchanged"
        lead = self._dms_deal(self._dms_get(row, "idSPK", required=True))
        if not lead.partner_id:
            raise DmsRecordError(_("the deal %s has no customer", lead.dms_spk_id))
        if not lead.motor_product_id:
            raise DmsRecordError(
                _("the deal %s has no motorcycle type and colour", lead.dms_spk_id)
            )
        vals.update(
            {
                "partner_id": lead.partner_id.id,
                "branch_id": (lead.branch_id or self._dms_branch()).id,
                "product_id": lead.motor_product_id.id,
                "frame_number": frame,
                "engine_number": engine or False,
                "sale_date": lead.dms_spk_date or delivery_date,
                "payment_type": lead.payment_type or "cash",
                "leasing_id": lead.leasing_id.id,
                "tenor": lead.dms_tenor,
                "down_payment": lead.down_payment,
                "user_id": lead.user_id.id,
                "dealer_memo_id": lead.dealer_memo_id.id,
                "origin": "dms",
            }
        )
        Unit.create(vals)
        return "created"

    def _dms_import_doch(self, row):
        """Document handling of a motorcycle: its STNK ready date (which starts
        the STNK notice)."""
        frame = str(self._dms_get(row, "noRangka", required=True)).upper()
        unit = self.env["daya.unit.sale"].search(
            [("frame_number", "=", frame)], limit=1
        )
        if not unit:
            raise DmsRecordError(_("no unit sale has the frame number %s", frame))
        stnk_date = next(
            (
                self._dms_parse_date(row[key])
                for key in STNK_DATE_KEYS
                if isinstance(row, dict) and row.get(key)
            ),
            False,
        )
        if not stnk_date:
            return "unchanged"  # in progress: the STNK is not ready yet
        return (
            "updated"
            if self._dms_write_changes(unit, {"stnk_ready_date": stnk_date})
            else "unchanged"
        )

    def _dms_import_pkb(self, row):
        """A workshop work order: recorded on the motorcycle's service history;
        a closed KPB service makes that KPB's workshop lead done (and its
        booking, when one is in progress)."""
        number = self._dms_get(row, "noWorkOrder", required=True)
        WorkOrder = self.env["daya.dms.work.order"]
        order = WorkOrder.search([("name", "=", number)], limit=1)
        frame = str(self._dms_get(row, "noRangka") or "").upper()
        unit = self.env["daya.unit.sale"]
        if frame:
            unit = unit.search([("frame_number", "=", frame)], limit=1)
        kpb_number = self._dms_kpb_number(row)
        status = str(self._dms_get(row, "statusWorkOrder") or "")
        service_date = next(
            (
                self._dms_parse_date(row[key])
                for key in SERVICE_DATE_KEYS
                if row.get(key)
            ),
            False,
        )
        vals = {
            "name": number,
            "backend_id": self.id,
            "frame_number": frame or False,
            "unit_sale_id": unit.id,
            "partner_id": unit.partner_id.id,
            "branch_id": (unit.branch_id or self._dms_branch()).id,
            "service_date": service_date,
            "license_plate": self._dms_get(row, "noPolisi") or False,
            "odometer": int(self._dms_amount(row.get("kmTerakhir"))),
            "pit_type": str(self._dms_get(row, "jenisPIT") or "") or False,
            "status": status or False,
            "is_closed": status.strip().lower() in self._dms_closed_statuses(),
            "kind": "kpb" if kpb_number is not None else "regular",
            "kpb_number": kpb_number or 0,
        }
        if order:
            result = "updated" if self._dms_write_changes(order, vals) else "unchanged"
        else:
            order = WorkOrder.create(vals)
            result = "created"
        if order.is_closed and order.kind == "kpb" and unit and not order.wor_lead_id:
            wor_lead = self._dms_close_kpb(unit, kpb_number, order)
            if wor_lead:
                order.wor_lead_id = wor_lead
                result = "updated" if result == "unchanged" else result
        return result

    # ------------------------------------------------------------
    # BUSINESS METHODS: the records' pieces
    # ------------------------------------------------------------

    def _dms_get(self, row, key, required=False):
        """The value of ``key`` in a DMS record (stripped text), or None; a
        required key missing or empty rejects the record."""
        if not isinstance(row, dict):
            raise DmsRecordError(_("the record is not a JSON object"))
        value = row.get(key)
        if isinstance(value, str):
            value = value.strip()
        if required and value in (None, "", [], {}):
            raise DmsRecordError(_("%s is missing", key))
        return value

    def _dms_amount(self, value):
        """A DMS amount or number (``18500000``, ``"18500000.00"``) as a float;
        nothing is 0."""
        if value in (None, "", False):
            return 0.0
        try:
            amount = float(str(value).replace(",", "").strip())
        except ValueError:
            raise DmsRecordError(_("%s is not a number", json.dumps(value))) from None
        if not 0 <= amount < 1e12:
            raise DmsRecordError(_("%s is out of range", json.dumps(value)))
        return amount

    def _dms_map(self, code_type, code, required=False):
        """The mapping record of a DMS code (this backend's, else the general
        one); an empty recordset when the code is empty or, unless
        ``required``, unknown."""
        Map = self.env["daya.dms.code.map"]
        code = str(code).strip() if code not in (None, False) else ""
        if not code:
            if required:
                raise DmsRecordError(_("the %s code is missing", code_type))
            return Map
        found = Map.search(
            [
                ("code_type", "=", code_type),
                ("code", "=", code),
                ("backend_id", "in", [self.id, False]),
            ]
        )
        found = found.filtered("backend_id")[:1] or found[:1]
        if not found and required:
            labels = dict(Map._fields["code_type"]._description_selection(self.env))
            raise DmsRecordError(
                _(
                    "no DMS code mapping for %(type)s code %(code)s: add it under "
                    "Configuration > DMS Code Mappings",
                    type=labels[code_type],
                    code=code,
                )
            )
        return found

    def _dms_salesperson(self, code):
        return self._dms_map("salesperson", code).user_id

    def _dms_branch(self, user=None):
        """The branch of a synced record: its salesperson's, when one of the
        backend's branches, else the backend's first branch."""
        if user and user.branch_id in self.branch_ids:
            return user.branch_id
        return self.branch_ids[:1]

    def _dms_motor_type(self, code):
        """The motorcycle type of an AHM type code (``kodeTipeUnit``): the type
        or one of its variants has it as Internal Reference."""
        Template = self.env["product.template"]
        if not code:
            return Template
        code = str(code).strip()
        motor_type = Template.search(
            [("default_code", "=", code), ("is_motorcycle", "=", True)], limit=1
        )
        if not motor_type:
            motor_type = (
                self.env["product.product"]
                .search(
                    [
                        ("default_code", "=", code),
                        ("product_tmpl_id.is_motorcycle", "=", True),
                    ],
                    limit=1,
                )
                .product_tmpl_id
            )
        if not motor_type:
            raise DmsRecordError(
                _(
                    "no motorcycle type has the type code %s as Internal Reference",
                    code,
                )
            )
        return motor_type

    def _dms_color(self, motor_type, code):
        """The colour of ``motor_type`` with the DMS colour code (``kodeWarna``)."""
        Value = self.env["product.attribute.value"]
        if not code:
            return Value
        color = Value.search(
            [
                ("dms_code", "=", str(code).strip()),
                ("id", "in", motor_type.motor_color_ids.ids),
            ],
            limit=1,
        )
        if not color:
            raise DmsRecordError(
                _(
                    "%(type)s has no colour with the DMS colour code %(code)s",
                    type=motor_type.name,
                    code=code,
                )
            )
        return color

    def _dms_deal(self, spk_id):
        """The opportunity of a pulled SPK."""
        lead = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search([("dms_spk_id", "=", spk_id)], limit=1)
        )
        if not lead:
            raise DmsRecordError(_("the deal (SPK) %s is not pulled yet", spk_id))
        return lead

    def _dms_closed_statuses(self):
        return {
            status.strip().lower()
            for status in (self.pkb_closed_statuses or "").split(",")
            if status.strip()
        }

    def _dms_kpb_number(self, row):
        """The KPB number (1-4) of a work order, 0 for a KPB without its number,
        None for a regular service."""
        texts = [str(row.get("jenisPIT") or "")]
        services = row.get("services") or []
        for service in services if isinstance(services, list) else []:
            if isinstance(service, dict):
                texts.extend(str(service.get(key) or "") for key in SERVICE_JOB_KEYS)
        for text in texts:
            match = KPB_NUMBER_RE.search(text)
            if match:
                return int(match.group(1))
        if any(KPB_WORD_RE.search(text) for text in texts):
            return 0
        return None

    def _dms_close_kpb(self, unit, kpb_number, order):
        """Make the open KPB workshop lead of ``unit`` done (its booking in
        progress done first); the lowest open KPB when the number is unknown."""
        types = (
            ["kpb%s" % kpb_number] if kpb_number else ["kpb1", "kpb2", "kpb3", "kpb4"]
        )
        wor_lead = self.env["daya.wor.lead"].search(
            [
                ("unit_sale_id", "=", unit.id),
                ("wor_type", "in", types),
                ("state", "not in", ("done", "lost")),
            ],
            order="wor_type",
            limit=1,
        )
        if not wor_lead:
            return wor_lead
        booking = wor_lead.booking_ids.filtered(
            lambda b: b.state in ("booked", "arrived")
        )[:1]
        if booking:
            booking.action_done()
        else:
            wor_lead._on_booking()
            wor_lead._on_booking_done()
        wor_lead.message_post(
            body=_(
                "Done: the DMS work order %(order)s closed this service.",
                order=order.name,
            )
        )
        return wor_lead

    def _dms_write_changes(self, record, vals):
        """Write the values of ``vals`` that differ from ``record``'s; returns
        whether something changed."""
        changed = {}
        for fname, value in vals.items():
            field = record._fields[fname]
            new = field.convert_to_record(field.convert_to_cache(value, record), record)
            if new != record[fname]:
                changed[fname] = value
        if changed:
            record.write(changed)
        return bool(changed)
