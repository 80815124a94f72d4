from . import daya_followup_week_report
