"""Limits of the free text people type."""

from odoo import _
from odoo.exceptions import ValidationError

# Longest name, street, city or e-mail accepted on a customer or a lead.
TEXT_MAX_LENGTH = 256


def check_text_lengths(model, vals, fnames):
    """Refuse the values of ``fnames`` in ``vals`` longer than TEXT_MAX_LENGTH
    characters, naming the field of ``model`` (before anything is written)."""
    for fname in fnames:
        value = vals.get(fname)
        if isinstance(value, str) and len(value) > TEXT_MAX_LENGTH:
            raise ValidationError(
                _(
                    "%(field)s is too long: at most %(max)s characters, %(length)s "
                    "given.",
                    field=model._fields[fname].get_description(model.env)["string"],
                    max=TEXT_MAX_LENGTH,
                    length=len(value),
                )
            )
