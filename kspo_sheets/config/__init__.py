"""Configuration as data: ``files`` reads YAML and checks it against a schema; ``contract``
is the registers' contract (configs/registers.yaml); ``indicators`` the indicators and
targets (configs/indicators.yaml); ``province`` a province's file, which brings the
other two together into one Config.

May import: ``kspo_sheets.errors``, ``kspo_sheets.thai`` and the standard library.
"""
