"""Progress against the programme's targets: the indicators named in
configs/indicators.yaml computed over the validated records, their breakdowns (by amphoe,
by working group, the 4 ร coverage matrix) and the fiscal year.

May import: ``kspo_sheets.checks`` (results only), ``kspo_sheets.thai``,
``kspo_sheets.config``, ``kspo_sheets.model``, ``kspo_sheets.errors``.
"""
