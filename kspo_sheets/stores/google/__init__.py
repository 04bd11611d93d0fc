"""The Google Sheets store: ``http`` (the authorised client, retries, streamed answers),
``json_stream`` (reading an answer as it arrives), ``masks`` (what each read asks for),
``reader`` (the read: which calls, in what order), ``values`` (values answers and the
cells they leave in doubt), ``read`` (grid data into values as typed), ``ranges`` (A1
ranges, URLs kept short), ``read_notes`` (the notes the write reads before it writes),
``cells`` (the cells and marks the tool writes), ``batch`` (one batchUpdate from a
WritePlan, and the correction its reply calls for), ``rules`` (the tool's highlight rules,
known by content, mended after staff moved rules), ``notes`` (notes checked by row after a
write, staff notes restored), ``reply`` (what is kept of a write's reply) and ``store``
(the GoogleStore itself);
``credentials`` (a service-account key or a person's sign-in, and who it is for),
``oauth_login`` (``kspo auth login``), ``drive`` (Drive v3: search, folders, resumable
uploads) and ``pack_shelf`` (where meeting packs live in Drive and how they are found).

May import what ``kspo_sheets.stores`` may, and ``kspo_sheets.stores.base`` / ``lock``.
"""
