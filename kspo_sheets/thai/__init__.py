"""The Thai-language ground floor: pure functions, no I/O.

Dates in the Buddhist Era (``dates``), phone numbers (``phones``), the national ID
(``national_id``), numbers, money and land area (``numbers``), yes/no and choice lists
(``choices``), the fiscal year (``fiscal``), text clean-up (``text``), how a cell reads
on screen (``display``), collation (``collation``), the DOPA gazetteer of provinces,
amphoe and tambon (``gazetteer``), and how much room text takes in a cell: where Thai may
break between words (``words``), widths in the tool's fonts (``font_metrics``), wrapped lines
and row heights (``wrap``). Each parser takes what staff typed and returns a
value and, where something is off, an Issue with a finding code.

May import: ``kspo_sheets.model``, ``kspo_sheets.codes``, ``kspo_sheets.errors`` and
the standard library (plus geothai for the gazetteer and the place names ``words`` keeps whole). Nothing above it.
"""
