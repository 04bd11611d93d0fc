"""Where the registers live and how they are read and written.

``base`` is the store interface (a Snapshot in, a WritePlan out) and the tool's marker;
``sources`` picks a store for a ``--source``; ``lock`` keeps one run at a time;
``xlsx/`` is a local workbook; ``google/`` a Google spreadsheet over the Sheets API.
Only stores know openpyxl (reading) or the HTTP client (gspread, google-auth).

May import: ``kspo_sheets.thai``, ``kspo_sheets.config``, ``kspo_sheets.model``,
``kspo_sheets.errors``. Never checks, progress, status or the pack: a store writes a
plan it is given, it does not decide what goes in it.
"""
