"""Validation of a snapshot: from the rows as read to findings.

``validate`` runs the registers; ``register`` checks one register's cells and rows;
``headers`` finds the header row; ``columns`` picks each column's parser from the
contract; ``rules`` checks across rows and registers (uniqueness, references, places,
certificates); ``sink`` turns issues into findings (with ``masking`` for personal data);
``report`` prints findings as a table, JSON or CSV.

May import: ``kspo_sheets.thai``, ``kspo_sheets.config``, ``kspo_sheets.model``,
``kspo_sheets.codes``, ``kspo_sheets.errors``. Never a store, progress, status or pack.
"""
