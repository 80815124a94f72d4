from odoo.addons.daya_base.tests.common import NIK_MAN, DayaCrmCommon

from ..models.res_partner import CDB_ITEMS


class DayaCdbCommon(DayaCrmCommon):
    """Customers with a complete and an incomplete customer database, and a PIC CRM
    H1 in branch B (which has no full structure)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_pic_h1_b = cls.env["res.users"].create(
            {
                "name": "PIC CRM B",
                "login": "t_pich1_b",
                "password": "t_pich1_b",
                "email": "t_pich1_b@example.com",
                "branch_id": cls.branch_b.id,
                "branch_ids": [(6, 0, cls.branch_b.ids)],
                "groups_id": [
                    (6, 0, cls.env.ref("daya_base.group_daya_pic_crm_h1").ids)
                ],
            }
        )
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(cls._cdb_vals())
        cls.customer_bare = Partner.create({"name": "Bare Customer"})

    @classmethod
    def _cdb_vals(cls, **values):
        """A customer whose 13 validated items are all filled in."""
        return dict(
            {
                "name": "Budi Santoso",
                "street": "Jl. Merdeka No. 1",
                "city": "Bandung",
                "nik": NIK_MAN,
                "mobile": "0812-3456-7890",
                "birth_place": "Bandung",
                "birthdate": "1990-01-01",
                "gender": "male",
                "occupation_id": cls.occupation.id,
                "email": "budi@example.com",
                "social_media": "@budi",
                "monthly_expense": "2m_3m",
                "house_status": "own",
                "motorcycle_ownership": "2",
                "previous_motorcycle": "honda",
                "motorcycle_use": "work",
            },
            **values,
        )

    @classmethod
    def _send(cls, partner, user=None, unit_sale=None):
        user = user or cls.user_admin_stnk_a
        return (
            cls.env["daya.cdb.validation"]
            .with_user(user)
            ._create_and_send(partner.with_user(user), unit_sale=unit_sale)
        )

    @classmethod
    def _form_answers(cls, corrections=None, consent=True, partner=None):
        """The customer's form: every item confirmed but the corrected ones
        (``{field: text}``; the other fields of a corrected item keep the
        ``partner``'s value)."""
        corrections = corrections or {}
        partner = partner or cls.customer
        Validation = cls.env["daya.cdb.validation"]
        post = {}
        for item, fnames in CDB_ITEMS:
            corrected = any(fname in corrections for fname in fnames)
            post[f"answer_{item}"] = "corrected" if corrected else "confirmed"
            for fname in fnames:
                if fname in corrections:
                    post[f"value_{fname}"] = corrections[fname]
                elif corrected:
                    post[f"value_{fname}"] = Validation._cdb_raw(fname, partner[fname])
        if consent:
            post["consent"] = "1"
        return post
