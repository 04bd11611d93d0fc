"""Commands beside the main pipeline: ``init`` lays out a new spreadsheet or workbook,
``doctor`` checks an installation, ``sample`` writes the demo workbook.

May import any part below: stores, checks, status, the pack, config, thai. Only
``kspo_sheets.cli`` imports these.
"""
