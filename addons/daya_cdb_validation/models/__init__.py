from . import (
    daya_cdb_validation,
    daya_cdb_validation_line,
    daya_unit_sale,
    res_config_settings,
    res_partner,
)
