"""The tabs the tool owns in the staff's spreadsheet: findings (สถานะการตรวจสอบ),
progress (สรุปความก้าวหน้า) and the run history (ประวัติการซิงก์), the list of meeting packs
in Google Drive (เอกสารประชุม, ``packs``), plus the highlights and
notes on staff cells, all gathered into one WritePlan for a store to write.

May import: ``kspo_sheets.progress`` and ``kspo_sheets.checks`` (their results),
``kspo_sheets.stores.base`` (the plan's types), ``kspo_sheets.thai``,
``kspo_sheets.config``, ``kspo_sheets.model``, ``kspo_sheets.errors``.
"""
