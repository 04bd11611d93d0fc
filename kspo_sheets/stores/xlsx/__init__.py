"""The local-workbook store: ``store`` reads a .xlsx as typed and writes it safely
(lock, changed-on-disk check, backups, atomic rename, sidecar); ``render`` lays the
status tabs, highlights and notes into the workbook.

May import what ``kspo_sheets.stores`` may, and ``kspo_sheets.stores.base`` / ``lock``.
"""
