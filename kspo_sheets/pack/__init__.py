"""The meeting pack: a printable, deterministic Excel workbook in the committee's agenda
order (``build`` writes it and converts it to PDF; ``sheets`` lays out each sheet;
``tables``, ``agenda`` and ``network`` turn results into tables; ``layout`` holds
formats, widths and print setup). The only part that knows xlsxwriter.

May import everything below it: ``kspo_sheets.progress``, ``kspo_sheets.checks``,
``kspo_sheets.thai``, ``kspo_sheets.config``, ``kspo_sheets.model``,
``kspo_sheets.errors``. Never a store or the status tabs.
"""
