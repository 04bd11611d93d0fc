"""Progress against the programme's targets: the indicators named in
configs/indicators.yaml computed over the validated records (``indicators``), their
breakdowns by amphoe, by working group and the 4 ร coverage matrix (``breakdowns``, with
pandas), and the fiscal year. ``records`` says which values are usable: a row is left out
of a figure only for an error in a value the figure reads, and counted by finding code.
``units`` makes totals over items in different units (never a sum of baht and people);
``wording`` tells a figure in Thai.

May import: ``kspo_sheets.checks`` (results only), ``kspo_sheets.thai``,
``kspo_sheets.config``, ``kspo_sheets.model``, ``kspo_sheets.errors``.
"""
