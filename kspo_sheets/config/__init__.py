"""Configuration as data: ``files`` reads YAML and checks it against a schema; ``contract``
is the registers' contract (configs/registers.yaml); ``indicators`` the indicators and
targets (configs/indicators.yaml); ``province`` a province's file, which brings the
other two together into one Config; ``tab_names`` what a tab may be called, and one name
for one tab; ``limits`` lengths the schema and the CLI share.

May import: ``kspo_sheets.errors``, ``kspo_sheets.thai`` and the standard library.
"""
