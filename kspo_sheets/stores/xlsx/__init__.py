"""The local-workbook store. It reads cells as typed and writes back by patching the
package, so every part staff made that the run does not need to change stays byte for byte.

``store`` is the store (read, lock, write); ``sidecar`` the status tabs apart; ``files`` the file on disk (links,
special files, version hash, backups, atomic rename); ``read`` streams cells out of the
sheets; ``package`` is the zip as parts and relationships; ``outline`` finds elements'
byte offsets and splices edits in; ``patch`` plans every part a run changes, with
``owned`` (the status tabs' sheet parts), ``styles`` (the tool's formats), ``marks``
(highlights on staff sheets) and ``notes`` (comments and their VML drawing);
``provision`` adds `kspo init`'s tabs the same way, the registers' as ``blank`` sheets.

May import what ``kspo_sheets.stores`` may, and ``kspo_sheets.stores.base`` / ``lock``.
"""
