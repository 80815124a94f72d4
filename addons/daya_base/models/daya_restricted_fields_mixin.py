import re

from odoo import _, api, models
from odoo.exceptions import AccessError

# "field", "field:agg", "alias:agg(field)" (read_group's fields and groupby)
READ_GROUP_SPEC = re.compile(r"(\w+)(?::(\w+)(?:\((\w+)\))?)?")


class DayaRestrictedFieldsMixin(models.AbstractModel):
    """A field restricted by ``groups`` stays out of reach for search, group by,
    order and export too.

    Odoo 16 checks a field's ``groups`` when it is read or written, not when a
    domain, a ``read_group``, an order or an export uses it: a user outside the
    groups would recover a secret with ``read_group([], [f], [f])`` or with
    ``search([(f, 'like', 'a%')])`` one character at a time. Models holding
    secrets inherit this mixin; the superuser (``sudo()``) is not restricted."""

    _name = "daya.restricted.fields.mixin"
    _description = "Restricted Fields Kept Out of Search and Group By"

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def _search(self, domain, *args, **kwargs):
        paths = self._restricted_domain_paths(domain)
        order = kwargs.get("order") or (args[2] if len(args) > 2 else None)
        for part in (order or "").split(","):
            if part.strip():
                paths.append([part.split()[0].strip('"')])
        self._check_restricted_paths(paths)
        return super()._search(domain, *args, **kwargs)

    @api.model
    def read_group(self, domain, fields, groupby, *args, **kwargs):
        paths = self._restricted_domain_paths(domain)
        groupby = [groupby] if isinstance(groupby, str) else groupby or []
        for spec in list(fields or []) + list(groupby):
            match = READ_GROUP_SPEC.match(spec.strip())
            if match:
                paths.append([match.group(3) or match.group(1)])
        self._check_restricted_paths(paths)
        return super().read_group(domain, fields, groupby, *args, **kwargs)

    def export_data(self, fields_to_export):
        self._check_restricted_paths(
            [
                [name for name in path.split("/") if name not in ("id", ".id")]
                for path in fields_to_export
            ]
        )
        return super().export_data(fields_to_export)

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    @api.model
    def _restricted_domain_paths(self, domain):
        return [
            leaf[0].split(".")
            for leaf in domain or []
            if isinstance(leaf, (list, tuple))
            and len(leaf) == 3
            and isinstance(leaf[0], str)
        ]

    def _check_restricted_paths(self, paths):
        """Raise an AccessError when a path of field names goes through a field
        whose ``groups`` the user is not in."""
        if self.env.su:
            return
        for path in paths:
            model = self
            for name in path:
                field = model._fields.get(name)
                if field is None:
                    break
                if field.groups and not self.user_has_groups(field.groups):
                    raise AccessError(
                        _(
                            "You are not allowed to search, group, sort or export "
                            "by the field %(field)s of %(model)s.",
                            field=field.string,
                            model=model._description,
                        )
                    )
                if not field.relational:
                    break
                model = self.env[field.comodel_name]
