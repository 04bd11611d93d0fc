"""The meeting pack: a printable, deterministic Excel workbook in the committee's agenda
order (``build`` writes it and converts it to PDF; ``sheets`` lays out each sheet;
``tables``, ``agenda``, ``network`` and ``producers`` turn results into tables, every row
of a register listed and its errors marked; ``layout`` holds formats, widths and print
setup). The only part that knows xlsxwriter; pandas aggregates the producers summary.

May import everything below it: ``kspo_sheets.progress``, ``kspo_sheets.checks``,
``kspo_sheets.thai``, ``kspo_sheets.config``, ``kspo_sheets.model``,
``kspo_sheets.errors``. Never a store or the status tabs.
"""
