import json
import logging
import re

import psycopg2

from odoo import _, models
from odoo.exceptions import UserError

from odoo.addons.daya_base.models.res_partner import is_bpa_code, phone_e164
from odoo.addons.daya_base.tools import normalize_nik
from odoo.addons.daya_base.tools.bulk import add_computed_values

_logger = logging.getLogger(__name__)

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
    "cdb": "idCustomer",  # not the NIK: the log's reasons are read by branch heads
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
# the DMS's keys of a customer's data (cdb), per customer field: text fields take
# the first key with a value, coded ones map through their code table
CDB_TEXT_KEYS = {
    "birth_place": ("tempatLahir",),
    "email": ("email",),
    "social_media": ("akunInstagram", "akunFacebook", "akunTwitter", "akunYoutube"),
}
CDB_DATE_KEYS = {"birthdate": ("tanggalLahir",)}
CDB_CODE_KEYS = {
    "gender": ("gender", ("jenisKelamin",)),
    "monthly_expense": ("monthly_expense", ("pengeluaran",)),
    "house_status": ("house_status", ("statusRumah",)),
    "motorcycle_use": ("motorcycle_use", ("penggunaanMotor",)),
    "occupation_id": ("occupation", ("kodePekerjaan",)),
    # the brand of the motorcycle the customer has now (main dealers' customer
    # data: its code, else its name)
    "previous_motorcycle": (
        "previous_motorcycle",
        ("idMerkMotorYangDimilikiSekarang", "merkMotorYangDimilikiSekarang"),
    ),
}
PROSPECT_STATUSES = ("hot", "medium", "low")
KPB_TYPES = ["kpb1", "kpb2", "kpb3", "kpb4"]
# what an endpoint creates: at the end of the window, in batches
PENDING_MODELS = {
    "prsp": "crm.lead",
    "spk": "crm.lead",
    "bast": "daya.unit.sale",
    "pkb": "daya.dms.work.order",
}
CREATE_BATCH = 200
# the fields crm computes on a lead from its customer (``partner_id``): a lead of
# no customer keeps what it is given, else nothing (False)
LEAD_FIELDS_FROM_CUSTOMER = (
    "partner_name",
    "email_from",
    "phone",
    "function",
    "title",
    "website",
    "lang_id",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "country_id",
)
# records made by the sync: no "created" message, no tracking, no followers
MACHINE_CONTEXT = {
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "tracking_disable": True,
}


class DmsRecordError(ValueError):
    """A DMS record that cannot be imported: the message says why."""


def _error_text(error):
    if isinstance(error, UserError):
        return error.args[0] if error.args else str(error)
    if isinstance(error, psycopg2.Error):
        return (error.diag.message_primary if error.diag else None) or str(error)
    return str(error)


class DmsWindow:
    """What the records of one pulled window refer to, looked up once per model for
    all of them (set-based), and the records to create, made in batches at the
    end. A DMS id repeated in the window finds the record (or the creation) of its
    first occurrence: it is upserted once."""

    def __init__(self):
        self.maps = {}  # (code type, code): mapping (the backend's wins)
        self.types = {}  # AHM type code: motorcycle type
        self.colors = {}  # DMS colour code: colour values
        self.leads = {}  # ("prsp" | "spk", DMS id): lead
        self.units = {}  # frame number: unit sale
        self.orders = {}  # work order number: DMS work order
        self.wor_leads = {}  # unit sale id: its open KPB workshop leads
        self.customers = {}  # NIK: customer of the backend's branches
        self.variants = {}  # (type, colour value): the type's variant in it
        self.stage_new = None  # the pipeline's first stage (deals)
        self.pending = {}  # key: {"vals": create values, "row": the DMS record}
        # (model, id): {"record", "vals", "changes", "row"}: written at the end
        self.updates = {}
        # work order number: (row, unit sale, KPB number, unchanged otherwise)
        self.kpb_closing = {}


def _peek(row, key):
    """A record's value for a look-up key (hashable text), None when unusable."""
    value = row.get(key) if isinstance(row, dict) else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return value.strip() or None if isinstance(value, str) else None


def _first_unit(row):
    units = row.get("unit") if isinstance(row, dict) else None
    unit = units[0] if isinstance(units, list) and units else None
    return unit if isinstance(unit, dict) else {}


class DayaDmsBackend(models.Model):
    _inherit = "daya.dms.backend"

    # ------------------------------------------------------------
    # BUSINESS METHODS: import
    # ------------------------------------------------------------

    def _dms_import(self, endpoint, data):
        """Upsert the records of one pulled window: what they refer to is looked
        up once per model, then the changed records are written and the new ones
        created at the end, in chunks, each chunk in one savepoint (one by one,
        each in its savepoint, when a chunk fails). A bad record is rejected with
        its reason, the others are kept. Returns the log's counts."""
        self.ensure_one()
        records = self._dms_records(endpoint, data)
        window = self._dms_prefetch(endpoint, records)
        handler = getattr(self, "_dms_import_%s" % endpoint)
        counts = {"received": len(records), "created": 0, "updated": 0, "rejected": 0}
        reasons, payloads = [], []

        def reject(record, error):
            key = (
                record.get(RECORD_KEYS[endpoint]) if isinstance(record, dict) else None
            )
            reason = "%s: %s" % (key or _("(no id)"), _error_text(error))
            reasons.append(reason)
            payloads.append(
                "%s\n%s" % (reason, json.dumps(record, ensure_ascii=False, default=str))
            )
            counts["rejected"] += 1

        for record in records:
            try:
                result = handler(record, window)
            except REJECTED as error:
                reject(record, error)
                continue
            if result in ("created", "updated"):
                counts[result] += 1
        counts["updated"] += self._dms_write_pending(endpoint, window, reject)
        counts["created"] += self._dms_create_pending(endpoint, window, reject)
        if endpoint == "pkb":
            counts["updated"] += self._dms_close_kpb_orders(window, reject)
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

    def _dms_prefetch(self, endpoint, records):
        """One search per model for everything the window's records name: the
        code tables, types, colours, leads by prospect and SPK id, unit sales by
        frame number, work orders and the KPB workshop leads of their frames."""
        window = DmsWindow()
        maps = self.env["daya.dms.code.map"].search(
            [("backend_id", "in", [self.id, False])]
        )
        for mapping in maps:
            key = (mapping.code_type, mapping.code.strip())
            if mapping.backend_id or key not in window.maps:  # the backend's wins
                window.maps[key] = mapping
        units = [_first_unit(row) for row in records]
        type_codes = {_peek(unit, "kodeTipeUnit") for unit in units} - {None}
        if type_codes:
            Template = self.env["product.template"]
            for variant in self.env["product.product"].search(
                [
                    ("default_code", "in", list(type_codes)),
                    ("product_tmpl_id.is_motorcycle", "=", True),
                ]
            ):
                window.types.setdefault(variant.default_code, variant.product_tmpl_id)
            for template in Template.search(
                [("default_code", "in", list(type_codes)), ("is_motorcycle", "=", True)]
            ):
                window.types[template.default_code] = template
        color_codes = {_peek(unit, "kodeWarna") for unit in units} - {None}
        if color_codes:
            for color in self.env["product.attribute.value"].search(
                [("dms_code", "in", list(color_codes))]
            ):
                key = color.dms_code.strip()
                window.colors[key] = window.colors.get(key, color.browse()) | color
        prospect_ids = {_peek(row, "idProspect") for row in records} - {None}
        spk_ids = {_peek(row, key) for row in records for key in ("idSpk", "idSPK")} - {
            None
        }
        if prospect_ids or spk_ids:
            leads = (
                self.env["crm.lead"]
                .with_context(active_test=False)
                .search(
                    [
                        "|",
                        ("dms_prospect_id", "in", list(prospect_ids)),
                        ("dms_spk_id", "in", list(spk_ids)),
                    ]
                )
            )
            for lead in leads:
                if lead.dms_prospect_id:
                    window.leads[("prsp", lead.dms_prospect_id)] = lead
                if lead.dms_spk_id:
                    window.leads[("spk", lead.dms_spk_id)] = lead
        frames = {(_peek(row, "noRangka") or "").upper() for row in records} - {""}
        if frames:
            for unit in self.env["daya.unit.sale"].search(
                [("frame_number", "in", list(frames))]
            ):
                window.units[unit.frame_number] = unit
        if endpoint == "spk":
            window.stage_new = self.env.ref("daya_crm_leads.stage_new")
            if window.types and window.colors:
                colors = self.env["product.attribute.value"].concat(
                    *window.colors.values()
                )
                for variant in self.env["product.product"].search(
                    [
                        (
                            "product_tmpl_id",
                            "in",
                            [motor_type.id for motor_type in window.types.values()],
                        ),
                        (
                            "product_template_attribute_value_ids"
                            ".product_attribute_value_id",
                            "in",
                            colors.ids,
                        ),
                    ]
                ):
                    for value in variant.product_template_attribute_value_ids:
                        window.variants.setdefault(
                            (variant.product_tmpl_id, value.product_attribute_value_id),
                            variant,
                        )
        if endpoint == "cdb":
            niks = {normalize_nik(_peek(row, "noKtp")) for row in records} - {""}
            if niks:
                for partner in (
                    self.env["res.partner"]
                    .with_context(active_test=False)
                    .search(
                        [
                            ("nik", "in", list(niks)),
                            ("branch_ids", "in", self.branch_ids.ids),
                        ]
                    )
                ):
                    window.customers[partner.nik] = partner
        if endpoint == "pkb":
            numbers = {_peek(row, "noWorkOrder") for row in records} - {None}
            for order in self.env["daya.dms.work.order"].search(
                [("name", "in", list(numbers))]
            ):
                window.orders[order.name] = order
            unit_ids = [unit.id for unit in window.units.values()]
            if unit_ids:
                for wor_lead in self.env["daya.wor.lead"].search(
                    [
                        ("unit_sale_id", "in", unit_ids),
                        ("wor_type", "in", KPB_TYPES),
                        ("state", "not in", ("done", "lost")),
                    ],
                    order="wor_type, id",
                ):
                    window.wor_leads.setdefault(wor_lead.unit_sale_id.id, []).append(
                        wor_lead
                    )
        return window

    def _dms_create_pending(self, endpoint, window, reject):
        """Create the window's new records in batches of ``CREATE_BATCH``; a batch
        that fails is made again one record at a time, each in its savepoint, so a
        bad record is rejected alone. Leads of one customer (NIK or phone) never
        share a batch: the duplicate guard sees each of them. Returns how many
        were created."""
        pending = list(window.pending.values())
        window.pending.clear()
        if not pending:
            return 0
        model = PENDING_MODELS[endpoint]
        Model = self.env[model].with_context(**MACHINE_CONTEXT)
        batches, batch, seen = [], [], set()
        for item in pending:
            identity = {
                item["vals"].get(key)
                for key in ("nik", "mobile")
                if item["vals"].get(key)
            }
            if len(batch) >= CREATE_BATCH or identity & seen:
                batches.append(batch)
                batch, seen = [], set()
            batch.append(item)
            seen |= identity
        batches.append(batch)

        def create(items):
            vals_list = [item["vals"] for item in items]
            if model != "crm.lead":
                return Model.create(vals_list)
            vals_list = self._dms_lead_customers(Model, vals_list)
            self._dms_lead_computed_values(Model, vals_list)
            leads = Model.browse()
            for stage, run in self._dms_lead_stage_runs(vals_list):
                leads |= Model.with_context(default_stage_id=stage).create(run)
            return leads

        return self._dms_in_chunks(endpoint, batches, create, reject)

    def _dms_lead_customers(self, Lead, vals_list):
        """The create values of a batch of new leads, each with the customer the
        lead's own rule (``crm.lead._daya_assign_customers``) would make it: the
        customers are made first, in one batch, from draft leads of the same
        values (``_daya_create_customers``), and each lead is inserted with its
        customer instead of written once more for it after its creation.

        Only when the rule can only make each lead its own customer: every lead
        has a name that is no BPA code, no two share a NIK or a phone, and none
        of their people is known yet (``_daya_identities``: no customer by NIK,
        BPA code or phone and name, no conflict). The customer is then made from
        the lead's values and reads back into the lead as given. Any other
        batch is left to ``create`` as it is (a known customer's data then
        fills the lead). Returns new dictionaries."""
        Partner = self.env["res.partner"]
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            Partner._daya_normalize_vals(vals)
        if any(vals.get("partner_id") for vals in vals_list):
            return vals_list
        # the drafts have no customer: what crm computes from it is what they are
        # given, else nothing, set at once instead of computed for each draft
        empty = dict.fromkeys(LEAD_FIELDS_FROM_CUSTOMER, False)
        drafts = Lead.concat(*(Lead.new(dict(empty, **vals)) for vals in vals_list))
        niks = [draft.nik for draft in drafts if draft.nik]
        # numbers in the international format of _daya_normalize_vals: read as is
        phones = [phone_e164(draft.mobile or draft.phone) for draft in drafts]
        phones = [phone for phone in phones if phone]
        if (
            len(set(niks)) < len(niks)
            or len(set(phones)) < len(phones)
            or not all(
                draft.contact_name and not is_bpa_code(draft.contact_name)
                for draft in drafts
            )
            or any(
                identity["customer"] or identity["same_name"] or identity["conflict"]
                for identity in drafts._daya_identities().values()
            )
        ):
            return vals_list
        customers = drafts._daya_create_customers()
        for vals, draft in zip(vals_list, drafts):
            vals["partner_id"] = customers[draft].id
        return vals_list

    def _dms_lead_computed_values(self, Lead, vals_list):
        """Give the create values of new leads the stored read-only computed
        values the ORM computes anyway after their creation, as it computes them
        (``phone_sanitized``: the E.164 form of the mobile, else of the phone,
        ``res.partner``'s formula ``phone_e164``): inserted with the row, the
        computes, finding the same values, leave the rows alone, and the other
        values computed after the creation, the same for the leads of a batch,
        are written in a few statements instead of one per lead (any value the
        computes find different is written as before)."""
        for vals in vals_list:
            add_computed_values(
                Lead,
                vals,
                {
                    "phone_sanitized": phone_e164(vals.get("mobile") or False)
                    or phone_e164(vals.get("phone") or False)
                },
            )
        return vals_list

    def _dms_lead_stage_runs(self, vals_list):
        """The create values of new leads in runs of consecutive leads, each
        run with the first stage its leads are given, as ``(stage id, values
        without it)``: the stage is the default of the run's creation, not a
        value, so that crm's create leaves out its won/lost bookkeeping per lead
        (``_handle_won_lost``: a search of the won stages for each lead, which
        changes nothing for a lead created open at a stage not won). A lead
        given a won stage or archived keeps its values (stage ``False``)."""
        won = set(self.env["crm.stage"].search([("is_won", "=", True)]).ids)
        runs = []
        for vals in vals_list:
            stage = vals.get("stage_id")
            if stage and stage not in won and vals.get("active", True):
                vals = {
                    fname: value
                    for fname, value in vals.items()
                    if fname not in ("stage_id", "active")
                }
            else:
                stage = False
            if runs and runs[-1][0] == stage:
                runs[-1][1].append(vals)
            else:
                runs.append((stage, [vals]))
        return runs

    def _dms_write_pending(self, endpoint, window, reject):
        """Write the window's changed records (``_dms_defer``), in chunks of
        ``CREATE_BATCH``, the records with the same changes in one write;
        returns how many were written."""
        pending = list(window.updates.values())
        window.updates.clear()

        def write(items):
            # the records with the same changes in one write; what a write reads
            # of its records is read for the whole chunk at once
            groups = {}
            for item in items:
                key = (item["record"]._name, tuple(sorted(item["changes"].items())))
                groups.setdefault(key, []).append(item["record"].id)
            chunk_ids = tuple(item["record"].id for item in items)
            for (model, changes), ids in groups.items():
                self.env[model].browse(ids).with_prefetch(chunk_ids).with_context(
                    **MACHINE_CONTEXT
                ).write(dict(changes))

        return self._dms_in_chunks(
            endpoint,
            [
                pending[index : index + CREATE_BATCH]
                for index in range(0, len(pending), CREATE_BATCH)
            ],
            write,
            reject,
        )

    def _dms_in_chunks(self, endpoint, chunks, apply, reject):
        """Call ``apply`` on each chunk of ``chunks`` (lists of ``{"row": the DMS
        record, ...}``) in one savepoint; a chunk that fails is applied again one
        item at a time, each in its savepoint, so that a bad record is rejected
        alone with its reason. Returns how many items were applied."""
        done = 0
        for chunk in chunks:
            if len(chunk) > 1:
                try:
                    with self.env.cr.savepoint():
                        apply(chunk)
                    done += len(chunk)
                    continue
                except REJECTED:
                    _logger.info(
                        "DMS %s: a chunk of %s failed, applied again one by one",
                        endpoint,
                        len(chunk),
                    )
            for item in chunk:
                try:
                    with self.env.cr.savepoint():
                        apply([item])
                    done += 1
                except REJECTED as error:
                    reject(item["row"], error)
        return done

    def _dms_update(self, record, vals):
        """Write what changed in ``vals`` in a savepoint (a refused write leaves
        the record as it was); returns ``updated`` or ``unchanged``."""
        changed = self._dms_changes(record, vals)
        if not changed:
            return "unchanged"
        with self.env.cr.savepoint():
            record.with_context(**MACHINE_CONTEXT).write(changed)
        return "updated"

    def _dms_defer(self, window, row, record, vals):
        """Write what changes in ``vals`` at the end of the window, with the
        window's other changed records (``_dms_write_pending``); a record met
        again in the window merges its values (the last wins). Returns
        ``pending`` or ``unchanged``."""
        key = (record._name, record.id)
        item = window.updates.get(key)
        if item:
            vals = dict(item["vals"], **vals)
        changes = self._dms_changes(record, vals)
        if not changes:
            window.updates.pop(key, None)
            return "unchanged"
        window.updates[key] = {
            "record": record,
            "vals": vals,
            "changes": changes,
            "row": row,
        }
        return "pending"

    def _dms_add(self, window, key, row, vals):
        """Create ``vals`` at the end of the window, once per key: a key met
        again updates what will be created."""
        item = window.pending.get(key)
        if item is None:
            window.pending[key] = {"vals": vals, "row": row}
            return "pending"
        if all(item["vals"].get(fname) == value for fname, value in vals.items()):
            return "unchanged"
        item["vals"].update(vals)
        item["row"] = row
        return "updated"

    # one method per endpoint: returns "created", "updated", "unchanged" or
    # "pending" (created at the end of the window)

    def _dms_import_prsp(self, row, window):
        """A prospect: a Leads Prospect lead, created through the lead's own
        rules (customer by NIK, then phone, else new; the duplicate guard)."""
        dms_id = str(self._dms_get(row, "idProspect", required=True))
        lead = window.leads.get(("prsp", dms_id))
        name = self._dms_get(row, "namaLengkap", required=True)
        status = self._dms_map(
            window, "prospect_status", self._dms_get(row, "statusProspect")
        )
        source = self._dms_map(
            window, "prospect_source", self._dms_get(row, "sumberProspect")
        )
        occupation = self._dms_map(
            window, "occupation", self._dms_get(row, "kodePekerjaan")
        )
        motor_type = self._dms_motor_type(window, _first_unit(row).get("kodeTipeUnit"))
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
        if status.value == "not_deal":
            vals["active"] = False
        if lead:
            if not lead.active or lead.type != "lead":
                return "unchanged"  # the sales team took it over
            return self._dms_update(lead, vals)
        if ("prsp", dms_id) in window.pending:
            return self._dms_add(window, ("prsp", dms_id), row, vals)
        user = self._dms_salesperson(window, self._dms_get(row, "idSalesPeople"))
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
                **self._dms_prsp_team_stage(window, user),
                "active": status.value != "not_deal",
                "dms_backend_id": self.id,
                "dms_prospect_id": dms_id,
                "dms_prospect_date": self._dms_parse_date(
                    self._dms_get(row, "tanggalProspect")
                ),
            }
        )
        return self._dms_add(window, ("prsp", dms_id), row, vals)

    def _dms_prsp_team_stage(self, window, user):
        """The sales team and first stage crm would compute for a new lead of
        ``user`` (``_compute_team_id``, ``_compute_stage_id``), found once per
        salesperson of the window instead of one search per lead each."""
        cache = getattr(window, "prsp_team_stage", None)
        if cache is None:
            cache = window.prsp_team_stage = {}
        if user.id not in cache:
            team = self.env["crm.team"].browse()
            if user:
                team = team._get_default_team_id(
                    user_id=user.id, domain=[("use_leads", "=", True)]
                )
            stage = (
                self.env["crm.lead"]
                .browse()
                ._stage_find(team_id=team.id, domain=[("fold", "=", False)])
            )
            cache[user.id] = {"team_id": team.id, "stage_id": stage.id}
        return cache[user.id]

    def _dms_import_spk(self, row, window):
        """A deal (SPK): the opportunity of its prospect becomes Order In with
        the type, colour, price and cash or credit; without a pulled prospect,
        the opportunity is created from the SPK."""
        dms_id = str(self._dms_get(row, "idSpk", required=True))
        prospect_id = _peek(row, "idProspect")
        lead = window.leads.get(("spk", dms_id)) or window.leads.get(
            ("prsp", prospect_id)
        )
        units = self._dms_get(row, "unit", required=True)
        unit = units[0] if isinstance(units, list) and units else None
        if not isinstance(unit, dict):
            raise DmsRecordError(_("unit: the deal names no motorcycle"))
        motor_type = self._dms_motor_type(
            window, self._dms_get(unit, "kodeTipeUnit", True)
        )
        color = self._dms_color(window, motor_type, self._dms_get(unit, "kodeWarna"))
        payment = self._dms_map(
            window,
            "payment_type",
            self._dms_get(unit, "tipePembayaran", True),
            required=True,
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
            # the lead's stored variant of the type in the colour (as it computes
            # it), given: not searched again for each deal written
            motor_product_id=window.variants.get((motor_type, color), False)
            and window.variants[(motor_type, color)].id,
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
                    deal["stage_id"] = window.stage_new.id
                result = self._dms_defer(window, row, lead, deal)
            else:  # won or lost: the deal's facts only
                result = self._dms_defer(window, row, lead, facts)
            window.leads[("spk", dms_id)] = lead
            return result
        if ("spk", dms_id) in window.pending:
            return self._dms_add(window, ("spk", dms_id), row, deal)
        name = self._dms_get(row, "namaCustomer", required=True)
        user = self._dms_salesperson(window, self._dms_get(row, "idSalesPeople"))
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
        return self._dms_add(window, ("spk", dms_id), row, deal)

    def _dms_import_lsng(self, row, window):
        """A leasing application: the deal's leasing company, down payment,
        tenor and instalment."""
        lead = self._dms_deal(window, str(self._dms_get(row, "idSPK", required=True)))
        leasing = self._dms_map(
            window, "leasing", self._dms_get(row, "idFinanceCompany", True), True
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
        return self._dms_defer(window, row, lead, vals)

    def _dms_import_inv1(self, row, window):
        """A billing (invoice) of a deal: its number, amount and status."""
        lead = self._dms_deal(window, str(self._dms_get(row, "idSPK", required=True)))
        vals = {
            "dms_invoice_id": self._dms_get(row, "idInvoice", required=True),
            "dms_invoice_amount": self._dms_amount(row.get("amount")),
            "dms_billing_status": str(self._dms_get(row, "status") or "") or False,
        }
        return self._dms_defer(window, row, lead, vals)

    def _dms_import_bast(self, row, window):
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
        unit = window.units.get(frame)
        if unit:
            if engine and not unit.engine_number:
                vals["engine_number"] = engine
            return self._dms_defer(window, row, unit, vals)
        if frame in window.pending:
            return self._dms_add(window, frame, row, vals)
        lead = self._dms_deal(window, str(self._dms_get(row, "idSPK", required=True)))
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
        return self._dms_add(window, frame, row, vals)

    def _dms_import_doch(self, row, window):
        """Document handling of a motorcycle: its STNK ready date (which starts
        the STNK notice)."""
        frame = str(self._dms_get(row, "noRangka", required=True)).upper()
        unit = window.units.get(frame)
        if not unit:
            raise DmsRecordError(_("no unit sale has the frame number %s", frame))
        stnk_date = self._dms_parse_date(self._dms_first(row, STNK_DATE_KEYS))
        if not stnk_date:
            return "unchanged"  # in progress: the STNK is not ready yet
        return self._dms_defer(window, row, unit, {"stnk_ready_date": stnk_date})

    def _dms_import_pkb(self, row, window):
        """A workshop work order: recorded on the motorcycle's service history;
        a closed KPB service makes that KPB's workshop lead done (and its
        booking, when one is in progress)."""
        number = str(self._dms_get(row, "noWorkOrder", required=True))
        order = window.orders.get(number)
        frame = str(self._dms_get(row, "noRangka") or "").upper()
        unit = window.units.get(frame) or self.env["daya.unit.sale"]
        kpb_number = self._dms_kpb_number(row)
        status = str(self._dms_get(row, "statusWorkOrder") or "")
        service_date = self._dms_parse_date(self._dms_first(row, SERVICE_DATE_KEYS))
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
            result = self._dms_defer(window, row, order, vals)
        else:
            result = self._dms_add(window, number, row, vals)
        if vals["is_closed"] and vals["kind"] == "kpb" and unit:
            # the workshop lead is closed once the order is written; an order
            # recorded before and unchanged counts as updated when it closes one
            unchanged = bool(order) and result == "unchanged"
            window.kpb_closing[number] = (row, unit, kpb_number, unchanged)
        else:
            window.kpb_closing.pop(number, None)
        return result

    def _dms_close_kpb_orders(self, window, reject):
        """Close the KPB workshop leads of the window's closed KPB work orders
        that have not closed theirs yet, in chunks (``_dms_close_kpb``); a lead
        that cannot be closed rejects its work order's record, the order stays
        recorded and the next pull tries again. Returns how many work orders
        recorded before and otherwise unchanged closed their lead (counted as
        updated)."""
        closing = window.kpb_closing
        window.kpb_closing = {}
        if not closing:
            return 0
        orders = self.env["daya.dms.work.order"].search(
            [("name", "in", list(closing)), ("wor_lead_id", "=", False)]
        )
        items, taken = [], set()
        for order in orders:
            row, unit, kpb_number, unchanged = closing[order.name]
            # the lowest open KPB when the number is unknown
            types = ["kpb%s" % kpb_number] if kpb_number else KPB_TYPES
            wor_lead = next(
                (
                    lead
                    for lead in window.wor_leads.get(unit.id, [])
                    if lead.wor_type in types
                    and lead.state not in ("done", "lost")
                    and lead.id not in taken
                ),
                None,
            )
            if wor_lead:
                taken.add(wor_lead.id)
                items.append(
                    {
                        "row": row,
                        "order": order,
                        "wor_lead": wor_lead,
                        "unchanged": unchanged,
                    }
                )
        closed = self._dms_in_chunks(
            "pkb",
            [
                items[index : index + CREATE_BATCH]
                for index in range(0, len(items), CREATE_BATCH)
            ],
            self._dms_close_kpb,
            reject,
        )
        if closed < len(items):  # some were rejected: count the orders closed
            return sum(item["unchanged"] for item in items if item["order"].wor_lead_id)
        return sum(item["unchanged"] for item in items)

    def _dms_import_cdb(self, row, window):
        """A customer's data (CDB): the customer of the backend's branches with
        the record's NIK gets the values of the fields still empty; what staff
        or the customer filled in is never overwritten."""
        nik = normalize_nik(str(self._dms_get(row, "noKtp", required=True)))
        customer = window.customers.get(nik)
        if not customer:
            raise DmsRecordError(_("no customer with this NIK"))
        vals = {}
        for fname, keys in CDB_TEXT_KEYS.items():
            vals[fname] = self._dms_first(row, keys) or False
        for fname, keys in CDB_DATE_KEYS.items():
            vals[fname] = self._dms_parse_date(self._dms_first(row, keys))
        for fname, (code_type, keys) in CDB_CODE_KEYS.items():
            code = self._dms_first(row, keys)
            # a code given but not mapped rejects the record: the mapping is added,
            # then the next pull fills the field in
            mapping = self._dms_map(window, code_type, code, required=bool(code))
            vals[fname] = (
                mapping.occupation_id.id
                if code_type == "occupation"
                else mapping.value or False
            )
        if vals["previous_motorcycle"] == "none":
            # no motorcycle before this one: it is the customer's first
            vals["motorcycle_ownership"] = "1"
        empty = {
            fname: value
            for fname, value in vals.items()
            if value and not customer[fname]
        }
        if not empty:
            return "unchanged"
        return self._dms_defer(window, row, customer, empty)

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

    def _dms_first(self, row, keys):
        """The value of the first of ``keys`` that has one in a DMS record
        (``_dms_get``), or None: providers name some values differently."""
        return next(
            (value for value in (self._dms_get(row, key) for key in keys) if value),
            None,
        )

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

    def _dms_map(self, window, code_type, code, required=False):
        """The mapping record of a DMS code (this backend's, else the general
        one); an empty recordset when the code is empty or, unless
        ``required``, unknown."""
        Map = self.env["daya.dms.code.map"]
        code = str(code).strip() if code not in (None, False) else ""
        if not code:
            if required:
                raise DmsRecordError(_("the %s code is missing", code_type))
            return Map
        found = window.maps.get((code_type, code), Map)
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

    def _dms_salesperson(self, window, code):
        return self._dms_map(window, "salesperson", code).user_id

    def _dms_branch(self, user=None):
        """The branch of a synced record: its salesperson's, when one of the
        backend's branches, else the backend's first branch."""
        if user and user.branch_id in self.branch_ids:
            return user.branch_id
        return self.branch_ids[:1]

    def _dms_motor_type(self, window, code):
        """The motorcycle type of an AHM type code (``kodeTipeUnit``): the type
        or one of its variants has it as Internal Reference."""
        Template = self.env["product.template"]
        code = str(code).strip() if code not in (None, False) else ""
        if not code:
            return Template
        motor_type = window.types.get(code)
        if not motor_type:
            raise DmsRecordError(
                _(
                    "no motorcycle type has the type code %s as Internal Reference",
                    code,
                )
            )
        return motor_type

    def _dms_color(self, window, motor_type, code):
        """The colour of ``motor_type`` with the DMS colour code (``kodeWarna``)."""
        Value = self.env["product.attribute.value"]
        if not code:
            return Value
        color = (
            window.colors.get(str(code).strip(), Value) & motor_type.motor_color_ids
        )[:1]
        if not color:
            raise DmsRecordError(
                _(
                    "%(type)s has no colour with the DMS colour code %(code)s",
                    type=motor_type.name,
                    code=code,
                )
            )
        return color

    def _dms_deal(self, window, spk_id):
        """The opportunity of a pulled SPK."""
        lead = window.leads.get(("spk", spk_id))
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

    def _dms_close_kpb(self, items):
        """Make the workshop leads of ``items`` (``{"order": DMS work order,
        "wor_lead": its open KPB workshop lead}``) done, their bookings in
        progress done first, set-based: a note on each lead names its work
        order."""
        WorLead = self.env["daya.wor.lead"].with_context(**MACHINE_CONTEXT)
        leads = WorLead.concat(*(item["wor_lead"] for item in items))
        bookings = self.env["daya.service.booking"].concat(
            *(
                lead.booking_ids.filtered(lambda b: b.state in ("booked", "arrived"))[
                    :1
                ]
                for lead in leads
            )
        )
        bookings.with_context(**MACHINE_CONTEXT).action_done()
        unbooked = leads - bookings.wor_lead_id
        unbooked._on_booking()
        unbooked._on_booking_done()
        leads._message_log_batch(
            bodies={
                item["wor_lead"].id: _(
                    "Done: the DMS work order %(order)s closed this service.",
                    order=item["order"].name,
                )
                for item in items
            }
        )
        for item in items:
            item["order"].wor_lead_id = item["wor_lead"]

    def _dms_changes(self, record, vals):
        """The values of ``vals`` that differ from ``record``'s."""
        changed = {}
        for fname, value in vals.items():
            field = record._fields[fname]
            new = field.convert_to_record(field.convert_to_cache(value, record), record)
            if new != record[fname]:
                changed[fname] = value
        return changed
