from . import daya_ktp_scan_wizard
