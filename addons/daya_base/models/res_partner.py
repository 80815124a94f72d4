import json
import logging
import re
from collections import defaultdict

import psycopg2
from psycopg2 import sql

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules.db import FunctionStatus
from odoo.osv import expression
from odoo.osv.expression import get_unaccent_wrapper
from odoo.tools.query import Query
from odoo.tools.sql import create_index, drop_index

from ..tools import (
    check_text_lengths,
    nik_problem,
    normalize_nik,
    phone_has_letters,
    phone_normalize,
)

_logger = logging.getLogger(__name__)

# Free text refused beyond TEXT_MAX_LENGTH characters.
TEXT_FIELDS = ("name", "street", "street2", "city", "email", "bpa_code")
# A BPA code as the dealer's system prints it: BPA000102, BPA-102.
BPA_PATTERN = re.compile(r"^\s*BPA[\s\-]?\d+\s*$", re.IGNORECASE)
# Searched by part of a word at a million customers: trigram (GIN) indexes on
# what the customer field's name search looks into (_rec_names_search).
TRIGRAM_FIELDS = ("display_name", "email", "ref", "vat", "company_registry")
# most customers (persons) have none of these: indexed only where set
SPARSE_TRIGRAM_FIELDS = ("email", "ref", "vat", "company_registry")
# entries of the display name's histogram (PostgreSQL's default: 100)
NAME_STATISTICS_TARGET = 1000
# a name search expected to match up to this many customers sorts its matches
# (reading a million in name order to find few costs more; see _name_search)
NAME_MATCHES_SORTED = 20000
# A number as _daya_normalize_vals stores it: Indonesia's international format.
INTERNATIONAL_NUMBER = re.compile(r"\+62 [0-9][0-9 \-]*\Z")
NON_DIGITS = re.compile(r"\D")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------

    nik = fields.Char(
        string="NIK",
        copy=False,
        tracking=True,
        help="The 16-digit number of the customer's identity card (KTP).",
    )
    bpa_code = fields.Char(
        string="BPA Code",
        copy=False,
        help="Customer code in the dealer's system (stored in capitals).",
    )
    # Both numbers, each in its own indexed column: Odoo's phone_sanitized
    # (mail.thread.phone, only with the sms addon) holds one number, the mobile
    # if there is one, so a customer would not be found by their other number
    # (readme/CONTEXT.rst).
    mobile_e164 = fields.Char(
        string="Mobile (E.164)",
        compute="_compute_mobile_e164",
        store=True,
        index=True,
        help="The mobile number normalized to E.164 (+62…), used to find customers.",
    )
    phone_e164 = fields.Char(
        string="Phone (E.164)",
        compute="_compute_phone_e164",
        store=True,
        index=True,
        help="The phone number normalized to E.164 (+62…), used to find customers.",
    )
    is_leasing_company = fields.Boolean(
        string="Leasing Company",
        index=True,
        help="A finance company of credit purchases.",
    )
    branch_ids = fields.Many2many(
        "daya.branch",
        "daya_branch_res_partner_rel",
        "partner_id",
        "branch_id",
        string="Branches",
        copy=False,
        readonly=True,
        help="The branches holding a relationship with this customer (a lead, a unit "
        "sale, a workshop lead, a booking, a data validation, or created there). "
        "Only they see the customer's data.",
    )
    daya_lookup = fields.Char(
        string="NIK / Phone / BPA",
        compute="_compute_daya_lookup",
        search="_search_daya_lookup",
        help="Find a customer by NIK, BPA code or any spelling of a phone number.",
    )

    # the unique constraints also index nik and bpa_code for lookups
    _sql_constraints = [
        ("nik_uniq", "unique(nik)", "Another customer already has this NIK."),
        ("bpa_code_uniq", "unique(bpa_code)", "Another customer has this BPA code."),
    ]

    # ------------------------------------------------------------
    # COMPUTES / SEARCH
    # ------------------------------------------------------------

    @api.depends("mobile")
    def _compute_mobile_e164(self):
        for partner in self:
            partner.mobile_e164 = phone_e164(partner.mobile)

    @api.depends("phone")
    def _compute_phone_e164(self):
        for partner in self:
            partner.phone_e164 = phone_e164(partner.phone)

    def _compute_daya_lookup(self):
        self.daya_lookup = False

    def _search_daya_lookup(self, operator, value):
        if operator not in ("=", "ilike") or not isinstance(value, str):
            raise UserError(_("Search customers by NIK, BPA code or phone number."))
        value = value.strip()
        # stored in capitals: an equality the unique index answers
        domain = [("bpa_code", "=", normalize_bpa_code(value))]
        nik = normalize_nik(value)
        if len(nik) == 16 and nik.isdigit():
            domain = expression.OR([domain, [("nik", "=", nik)]])
        e164 = phone_normalize(value)
        if e164:
            domain = expression.OR(
                [domain, ["|", ("mobile_e164", "=", e164), ("phone_e164", "=", e164)]]
            )
        return domain

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("nik")
    def _check_nik(self):
        for partner in self.filtered("nik"):
            self._daya_check_nik_value(partner.nik)

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    def init(self):
        res = super().init()
        cr = self.env.cr
        # codes written before they were stored in capitals (a code whose
        # capitals another customer has, or would get, is left as it is)
        cr.execute(
            """
            UPDATE res_partner p SET bpa_code = upper(btrim(p.bpa_code))
             WHERE p.bpa_code IS NOT NULL AND p.bpa_code <> upper(btrim(p.bpa_code))
               AND NOT EXISTS (
                   SELECT 1 FROM res_partner o
                    WHERE o.id <> p.id AND o.bpa_code IS NOT NULL
                      AND upper(btrim(o.bpa_code)) = upper(btrim(p.bpa_code)))
            """
        )
        # pg_trgm is a trusted extension: the database owner may create it
        cr.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if not cr.fetchone():
            try:
                with cr.savepoint(flush=False):
                    cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except psycopg2.Error:
                _logger.warning(
                    "pg_trgm is not available: searching customers by part of "
                    "their name scans the whole table."
                )
                return res
        self._daya_tune_name_statistics()
        self._daya_create_trigram_indexes()
        return res

    def _daya_tune_name_statistics(self):
        """Sample more names for the planner's estimate of a search by part of a
        name (a 1,000-entry histogram instead of 100): with the default, a name
        matching 0.14 % of a million customers was taken for 1 %, and PostgreSQL
        read the customers in name order until enough matched (2 s for 100 of
        them) instead of sorting the matches of the trigram index. Sampled at
        once (a few seconds at a million customers, once)."""
        cr = self.env.cr
        cr.execute(
            """SELECT attstattarget FROM pg_attribute
                WHERE attrelid = %s::regclass AND attname = 'display_name'""",
            (self._table,),
        )
        row = cr.fetchone()
        if row and row[0] < NAME_STATISTICS_TARGET:
            cr.execute(
                sql.SQL(
                    "ALTER TABLE {} ALTER COLUMN display_name SET STATISTICS {}"
                ).format(
                    sql.Identifier(self._table), sql.Literal(NAME_STATISTICS_TARGET)
                )
            )
            # taken now, not at the next automatic analyze
            cr.execute(
                sql.SQL("ANALYZE {} (display_name)").format(sql.Identifier(self._table))
            )

    def _daya_create_trigram_indexes(self):
        """The trigram (GIN) indexes of TRIGRAM_FIELDS, each on the exact expression
        Odoo's ``ilike`` searches (wrapped in ``unaccent`` when the database has
        it, as Odoo's own ``index='trigram'``). An index of a mostly empty column
        (SPARSE_TRIGRAM_FIELDS) holds only the rows that have a value: at a
        million customers the full one priced every name search so high that
        PostgreSQL walked the whole name index instead (issue 15). An index built
        otherwise (before, or without ``unaccent``) is rebuilt."""
        cr = self.env.cr
        has_unaccent = self.env.registry.has_unaccent
        cr.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            (self._table,),
        )
        existing = dict(cr.fetchall())
        for fname in TRIGRAM_FIELDS:
            column = f'"{fname}"'
            if getattr(self._fields[fname], "unaccent", False) and has_unaccent:
                if has_unaccent == FunctionStatus.INDEXABLE:
                    column = get_unaccent_wrapper(cr)(column)
                else:
                    _logger.warning(
                        "unaccent() is not immutable: the customers' trigram "
                        "indexes cannot serve Odoo's unaccented name search."
                    )
            where = f'"{fname}" IS NOT NULL' if fname in SPARSE_TRIGRAM_FIELDS else ""
            indexname = f"res_partner_{fname}_daya_trgm_index"
            definition = existing.get(indexname)
            if definition and (
                ("unaccent(" in definition) != column.startswith("unaccent(")
                or (" WHERE " in definition) != bool(where)
            ):
                drop_index(cr, indexname, self._table)
            create_index(
                cr,
                indexname,
                self._table,
                [f"{column} gin_trgm_ops"],
                method="gin",
                where=where,
            )

    @api.model_create_multi
    def create(self, vals_list):
        branch = self.env.user.branch_id
        for vals in vals_list:
            self._daya_normalize_vals(vals)
            if "branch_ids" in vals:
                self._daya_check_branch_ids_right()
            elif branch:
                # a customer belongs to the branch where it was created
                vals["branch_ids"] = [(4, branch.id)]
        return super().create(vals_list)

    def write(self, vals):
        self._daya_normalize_vals(vals)
        if "branch_ids" in vals:
            self._daya_check_branch_ids_right()
        return super().write(vals)

    @api.model
    def _name_search(
        self, name, args=None, operator="ilike", limit=100, name_get_uid=None
    ):
        """Typing a NIK, BPA code or phone number (any spelling) finds the customer.

        A term that cannot be one of them (words of a name) goes straight to
        Odoo's name search (trigram-indexed, see init()), without a first query."""
        if (
            name
            and operator in ("ilike", "=ilike", "=")
            and len(name.strip()) >= 5
            and self._daya_may_be_identity(name)
        ):
            ids = list(
                self._search(
                    expression.AND([args or [], [("daya_lookup", "=", name)]]),
                    limit=limit,
                    access_rights_uid=name_get_uid,
                )
            )
            if ids:
                return ids
        query = super()._name_search(
            name, args=args, operator=operator, limit=limit, name_get_uid=name_get_uid
        )
        if name and limit and operator in ("ilike", "like", "=ilike", "=like"):
            self._daya_sort_few_matches(query, name, operator)
        return query

    @api.model
    def _daya_sort_few_matches(self, query, name, operator):
        """Have PostgreSQL sort the matches of a name search when it expects few
        of them (NAME_MATCHES_SORTED), instead of reading the customers in name
        order until enough match and are in the user's branches: at a million
        customers that read took seconds for a whole name (36 s), and 1.3 s for
        a part of one as a salesperson. The order is the same (``_order``, same
        collation): only its expression is one no index serves. A short or common
        term (many matches) keeps the read in name order, which finds them soon."""
        order = self._daya_matches_order()
        if not isinstance(query, Query) or not query.order or not order:
            return
        domain = expression.OR(
            [[(fname, operator, name)] for fname in self._rec_names_search]
        )
        where_sql, params = self._where_calc(domain).select()
        self.env.cr.execute("EXPLAIN (FORMAT JSON) " + where_sql, params)
        plan = self.env.cr.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        if plan[0]["Plan"]["Plan Rows"] <= NAME_MATCHES_SORTED:
            query.order = order

    @api.model
    def _daya_matches_order(self):
        """``_order`` as an SQL expression no index matches (each char column as
        a text expression: same values, same collation), or None if ``_order``
        is not plain stored columns."""
        terms = []
        for item in self._order.split(","):
            fname, *direction = item.lower().split()
            field = self._fields.get(fname)
            if (
                not field
                or not field.store
                or field.translate
                or direction not in ([], ["asc"], ["desc"])
            ):
                return None
            column = f'"{self._table}"."{fname}"'
            if field.type == "char":
                column = f"({column} || '')"
            terms.append(f"{column} {(direction or ['asc'])[0].upper()}")
        return ", ".join(terms)

    @api.model
    def _daya_may_be_identity(self, term):
        """Whether ``term`` may be a NIK, a phone number (any spelling) or a BPA
        code: one word, a code written as BPA 102, or digits. Words with letters
        and spaces are a name."""
        term = term.strip()
        if not re.search(r"\s", term) or is_bpa_code(term):
            return True
        nik = normalize_nik(term)
        return (len(nik) == 16 and nik.isdigit()) or bool(phone_normalize(term))

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_attach_to_branch(self, identity):
        """Attach a customer of another branch to the user's current branch.

        ``identity`` is the exact NIK, phone number or BPA code the user knows the
        customer by: it must match this customer (a record id alone is not enough).
        Logged in the customer's chatter and in the personal data access log."""
        self.ensure_one()
        self._daya_check_staff()
        if self not in self._daya_identity_matches(identity):
            raise AccessError(
                _(
                    "Give the customer's exact NIK, phone number or BPA code to "
                    "attach them to your branch."
                )
            )
        self._daya_attach(self.env.user.branch_id)
        return True

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def daya_lookup_customers(self, identity):
        """Exact lookup of a customer by NIK, phone number (any spelling) or BPA code,
        across branches, for the duplicate check and the lead form.

        Returns one dict per customer: ``id``, ``name``, ``visible`` (in the user's
        branches). A customer of another branch comes as a minimal card only: name,
        masked phone and the branches holding them; showing it is logged."""
        self._daya_check_staff()
        matches = self._daya_identity_matches(identity)
        visible = matches.with_env(self.env)._filter_access_rules("read")
        cards = []
        for partner in matches:
            if partner in visible:
                cards.append({"id": partner.id, "name": partner.name, "visible": True})
            else:
                cards.append(dict(partner._daya_card(), visible=False))
        (matches - visible)._daya_log_access("lookup")
        return cards

    @api.model
    def _daya_identity_matches(self, identity):
        """Customers whose NIK, phone (any spelling) or BPA code is exactly
        ``identity``, across all branches (sudo: the identity check spans the
        dealer network; callers decide what the user is shown)."""
        if not isinstance(identity, str) or not identity.strip():
            return self.sudo().browse()
        identity = identity.strip()
        nik = normalize_nik(identity)
        found = self.sudo().browse()
        if len(nik) == 16 and nik.isdigit():
            found |= self._daya_identify(nik=nik)["nik"]
        found |= self._daya_identify(bpa_code=identity)["bpa"]
        if not found:
            found |= self._daya_identify(phone=identity)["phone"]
        return found

    @api.model
    def _daya_identify(self, nik=None, phone=None, bpa_code=None):
        """Who an exact NIK, phone number and BPA code belong to, across branches.

        Returns sudo records ``{'nik': ..., 'bpa': ..., 'phone': ...}``: a NIK or a BPA
        code decides who the person is; a phone only suggests (families share
        phones)."""
        return self._daya_identify_batch([(nik, phone, bpa_code)])[0]

    @api.model
    def _daya_identify_batch(self, identities):
        """``_daya_identify`` of many ``(nik, phone, bpa_code)`` at once: one query
        per kind of identity for all of them (each an index lookup), whatever
        their number. Returns one result dict per identity, in order."""
        Partner = self.sudo().with_context(active_test=False)
        keys = [
            (
                normalize_nik(nik) if nik else False,
                # a number stored in the international format: read as is
                phone_e164(phone) if isinstance(phone, str) else False,
                normalize_bpa_code(bpa_code) if bpa_code else False,
            )
            for nik, phone, bpa_code in identities
        ]
        niks = {nik for nik, _phone, _bpa in keys if nik}
        phones = {e164 for _nik, e164, _bpa in keys if e164}
        codes = {code for _nik, _phone, code in keys if code}
        by_nik, by_code, by_phone = {}, {}, {}
        if niks:
            for partner in Partner.search([("nik", "in", sorted(niks))]):
                by_nik.setdefault(partner.nik, partner)
        if codes:
            # exact, case-insensitive (stored in capitals): the unique index
            for partner in Partner.search([("bpa_code", "in", sorted(codes))]):
                by_code.setdefault(partner.bpa_code, partner)
        if phones:
            phone_list = sorted(phones)
            for partner in Partner.search(
                [
                    "|",
                    ("mobile_e164", "in", phone_list),
                    ("phone_e164", "in", phone_list),
                ]
            ):
                # in the search's order, each customer once per number
                for e164 in {partner.mobile_e164, partner.phone_e164} & phones:
                    by_phone.setdefault(e164, []).append(partner.id)
        empty = Partner.browse()
        return [
            {
                "nik": by_nik.get(nik, empty),
                "bpa": by_code.get(code, empty),
                "phone": Partner.browse(by_phone.get(e164, [])),
            }
            for nik, e164, code in keys
        ]

    def _daya_card(self):
        """The minimal card of a customer shown outside their branches."""
        self.ensure_one()
        partner = self.sudo()
        return {
            "id": partner.id,
            "name": partner.name,
            "phone": _mask_phone(partner.mobile_e164 or partner.phone_e164),
            "branches": ", ".join(partner.branch_ids.mapped("display_name")),
        }

    def _daya_card_text(self):
        card = self._daya_card()
        return _(
            "%(name)s (phone %(phone)s), a customer of %(branches)s",
            name=card["name"],
            phone=card["phone"] or "-",
            branches=card["branches"] or _("no branch"),
        )

    def _daya_attach(self, branch):
        """Give ``branch`` a relationship with these customers: its users see and
        edit them from now on. Logged in the chatter (one internal note per
        customer, all written at once: an import attaches thousands) and the
        access log."""
        if not branch:
            raise UserError(_("Choose your current branch first."))
        partners = self.sudo().filtered(lambda p: branch not in p.branch_ids)
        if not partners:
            return
        partners.write({"branch_ids": [(4, branch.id)]})
        author = self.env.user.partner_id
        body = _(
            "Attached to branch %(branch)s by %(user)s.",
            branch=branch.display_name,
            user=self.env.user.name,
        )
        partners._message_log_batch(
            dict.fromkeys(partners.ids, body),
            author_id=author.id,
            message_type="comment",
        )
        # the author follows the customers, as when posting on each
        if author.active and not self.env.context.get("mail_create_nosubscribe"):
            partners._message_subscribe(partner_ids=author.ids)
        partners._daya_log_access("attach")

    def _daya_log_access(self, access_type):
        """Record that the user was shown these customers' data although they are
        outside the user's branches (UU PDP 27/2022)."""
        if not self:
            return
        # the log is written by the system: no user may create or alter it
        self.env["daya.partner.access.log"].sudo().create(
            [
                {
                    "partner_id": partner.id,
                    "user_id": self.env.uid,
                    "branch_id": self.env.user.branch_id.id,
                    "access_type": access_type,
                }
                for partner in self
            ]
        )

    @api.model
    def _daya_link_branches(self, records):
        """Record that the branches of ``records`` (leads, unit sales, workshop
        leads, bookings, validations: any record with ``partner_id`` and
        ``branch_id``) hold a relationship with their customers.

        A user may only point such a record at a customer they can see: a
        customer of another branch is attached first (by exact identity)."""
        # the customers of each branch, gathered in one pass (a batch of the
        # schedule or of an import names thousands of records, most linked)
        by_branch = defaultdict(set)
        for record in records:
            partner, branch = record.partner_id, record.branch_id
            if partner and branch:
                by_branch[branch.id].add(partner.id)
        if not by_branch:
            return
        partners = records.env["res.partner"].browse(
            sorted(set().union(*by_branch.values()))
        )
        if not records.env.su:
            hidden = partners - partners._filter_access_rules("read")
            if hidden:
                raise UserError(
                    _(
                        "This customer belongs to another branch. Find the customer "
                        "by NIK, phone number or BPA code and attach them to your "
                        "branch first."
                    )
                )
        # their branches read at once (one query, or none when in the cache)
        partners = partners.sudo()
        linked = {partner.id: set(partner.branch_ids._ids) for partner in partners}
        for branch_id, partner_ids in sorted(by_branch.items()):
            missing = sorted(pid for pid in partner_ids if branch_id not in linked[pid])
            if missing:
                # a fact of the user's own record, whatever their rights on the
                # customer: written by the system
                partners.browse(missing).write({"branch_ids": [(4, branch_id)]})

    @api.model
    def _daya_fill_branch_ids(self, tables):
        """Fill ``branch_ids`` from the existing rows of ``tables`` (each with
        ``partner_id`` and ``branch_id`` columns): run on install and on every
        update of the addons, so that databases made before the customers' branch
        boundary get it. Idempotent."""
        for table in tables:
            self.env.cr.execute(
                sql.SQL(
                    """
                    INSERT INTO daya_branch_res_partner_rel (partner_id, branch_id)
                    SELECT DISTINCT partner_id, branch_id FROM {}
                     WHERE partner_id IS NOT NULL AND branch_id IS NOT NULL
                    ON CONFLICT DO NOTHING
                    """
                ).format(sql.Identifier(table))
            )
        self.invalidate_model(["branch_ids"])

    @api.model
    def _daya_check_staff(self):
        """The network-wide lookup serves the dealer's staff, not portal users."""
        if not self.env.user._is_internal():
            raise AccessError(_("Only the dealer's staff look customers up."))

    @api.model
    def _daya_check_branch_ids_right(self):
        if not (
            self.env.su or self.env.user.has_group("daya_base.group_daya_head_office")
        ):
            raise UserError(
                _(
                    "A customer's branches follow their leads, sales and bookings; "
                    "attach a customer of another branch by their NIK, phone number "
                    "or BPA code."
                )
            )

    @api.model
    def _daya_check_nik_value(self, nik):
        """Refuse a NIK that is not 16 digits with a valid region and birth date."""
        problem = nik_problem(nik)
        if not problem:
            return
        # translated only when needed (an import checks thousands of NIKs)
        messages = {
            "length": _(
                "The NIK %(nik)s is not valid: a NIK has exactly 16 digits (0-9)."
            ),
            "province": _("The NIK %(nik)s does not start with a valid province code."),
            "birthdate": _(
                "The NIK %(nik)s does not contain a valid birth date (digits 7-12 are "
                "the birth date as DDMMYY, with 40 added to the day for women)."
            ),
            "serial": _("The NIK %(nik)s has an invalid serial number (0000)."),
        }
        shown = nik if len(nik) <= 32 else nik[:32] + "…"
        raise ValidationError(messages[problem] % {"nik": shown})

    @api.model
    def _daya_normalize_vals(self, vals):
        """Normalize NIK and phone numbers in ``vals``; refuse what can't be parsed."""
        check_text_lengths(self, vals, TEXT_FIELDS)
        if "bpa_code" in vals:
            vals["bpa_code"] = normalize_bpa_code(vals["bpa_code"])
        if "nik" in vals:
            vals["nik"] = normalize_nik(vals["nik"]) or False
        for fname in ("phone", "mobile"):
            number = vals.get(fname)
            if not number:
                continue
            letters = phone_has_letters(number)
            international = not letters and phone_normalize(number, "INTERNATIONAL")
            if international:
                vals[fname] = international
                continue
            # translated only when needed (an import checks thousands of numbers)
            label = (
                _("The phone number") if fname == "phone" else _("The mobile number")
            )
            if letters:
                raise ValidationError(
                    _(
                        "%(label)s %(number)s contains letters. A phone number has "
                        "digits only, such as 0812-3456-7890 or +62 812-3456-7890.",
                        label=label,
                        number=number[:32],
                    )
                )
            raise ValidationError(
                _(
                    "%(label)s %(number)s is not a valid phone number. Use a "
                    "number such as 0812-3456-7890 or +62 812-3456-7890.",
                    label=label,
                    number=number[:32],
                )
            )
        return vals

    @api.model
    def _daya_person_values(self, vals_list):
        """The stored computed values of new customers created with
        ``vals_list`` (persons of no company, parent or user, their values as
        ``_daya_normalize_vals`` leaves them), as their computes store them: for
        rows inserted set-based by the thousand (the import), one formula with
        the computes (the E.164 numbers: ``phone_e164``). An addon adds its own
        (the CDB completeness)."""
        results = []
        for vals in vals_list:
            mobile, phone = (
                phone_e164(vals.get("mobile")),
                phone_e164(vals.get("phone")),
            )
            values = {
                "display_name": vals.get("name"),
                "mobile_e164": mobile,
                "phone_e164": phone,
                "partner_share": True,
                # of a company or a parent: none
                "commercial_company_name": False,
                "company_registry": False,
                "email_normalized": False,
                "user_id": False,
            }
            if "phone_sanitized" in self._fields:
                # mail.thread.phone's number: the mobile's, else the phone's
                values["phone_sanitized"] = mobile or phone
            if "team_id" in self._fields:
                values["team_id"] = False
            results.append(values)
        return results

    @api.model
    def _find_by_identity(self, nik=None, phone=None, bpa_code=None):
        """Customers matching any of the given NIK, phone (any spelling) or BPA code."""
        domains = []
        if nik:
            domains.append([("nik", "=", normalize_nik(nik))])
        if bpa_code:
            domains.append([("bpa_code", "=", normalize_bpa_code(bpa_code))])
        e164 = phone_normalize(phone)
        if e164:
            domains.append(["|", ("mobile_e164", "=", e164), ("phone_e164", "=", e164)])
        if not domains:
            return self.browse()
        return self.search(expression.OR(domains))


def phone_e164(number):
    """The E.164 form (+6281234567890) of a customer's number, the one formula
    of mobile_e164 and phone_e164: read from its digits when it is written in
    Indonesia's international format as ``_daya_normalize_vals`` stores it
    (+62 812-3456-7890), else parsed (phonenumbers: half a millisecond)."""
    if not number:
        return False
    if len(number) <= 32 and INTERNATIONAL_NUMBER.match(number):
        return "+" + NON_DIGITS.sub("", number)
    return phone_normalize(number)


def _mask_phone(e164):
    """+6281234567890 → +62 812-****-890: enough to recognize, not to call."""
    if not e164:
        return False
    return f"{e164[:3]} {e164[3:6]}-****-{e164[-3:]}"


def normalize_bpa_code(code):
    """A BPA code as stored: trimmed, in capitals (bpa-102 → BPA-102)."""
    return (code or "").strip().upper() or False


def is_bpa_code(text):
    """Whether ``text`` is written as a BPA code (BPA000102), not a person's name."""
    return bool(text and BPA_PATTERN.match(text))
