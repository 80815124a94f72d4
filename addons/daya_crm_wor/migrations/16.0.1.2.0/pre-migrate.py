"""One KPB workshop lead per motorcycle and coupon, now a unique index
(``daya_wor_lead_kpb_unit_uniq``, created by the model's ``init``). Before it is
made, duplicates left by two writers at once (only a Python check guarded them)
stop the upgrade with the list to clean up: which lead to keep is the workshop's
choice (its bookings, follow-ups and history), not the upgrade's."""

KPB_TYPES = ("kpb1", "kpb2", "kpb3", "kpb4")


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        SELECT unit_sale_id, wor_type, array_agg(id ORDER BY id)
          FROM daya_wor_lead
         WHERE wor_type IN %s AND unit_sale_id IS NOT NULL
         GROUP BY unit_sale_id, wor_type
        HAVING count(*) > 1
         ORDER BY unit_sale_id, wor_type
        """,
        [KPB_TYPES],
    )
    duplicates = cr.fetchall()
    if duplicates:
        lines = "\n".join(
            f"  motorcycle (daya.unit.sale) {unit_id}, {wor_type}: "
            f"workshop leads (daya.wor.lead) {', '.join(map(str, ids))}"
            for unit_id, wor_type, ids in duplicates[:50]
        )
        raise RuntimeError(
            f"daya_crm_wor 16.0.1.2.0: {len(duplicates)} motorcycle coupon(s) have "
            "more than one KPB workshop lead; one lead per motorcycle and KPB is now "
            "a unique index. Keep one lead of each (move its bookings and follow-ups "
            "to it), delete the others, then upgrade again:\n" + lines
        )
