"""Commands beside the main pipeline: ``init`` lays out a new spreadsheet or workbook,
``doctor`` checks an installation, ``sample`` writes the demo workbook, ``publish`` puts a
built meeting pack in Google Drive and lists it in the packs tab.

May import any part below: stores, checks, status, the pack, config, thai. Only
``kspo_sheets.cli`` imports these.
"""
