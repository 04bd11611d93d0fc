"""The Google Sheets store: ``http`` (the authorised client, retries, streamed answers),
``json_stream`` (reading an answer as it arrives), ``masks`` (what each read asks for),
``reader`` (the read: which calls, in what order), ``values`` (values answers and the
cells they leave in doubt), ``read`` (grid data into values as typed), ``ranges`` (A1
ranges, URLs kept short), ``notes`` (the notes the write reads), ``cells`` (the cells and
marks the tool writes), ``batch`` (one batchUpdate from a WritePlan, and the check of its
reply) and ``store`` (the GoogleStore itself).

May import what ``kspo_sheets.stores`` may, and ``kspo_sheets.stores.base`` / ``lock``.
"""
