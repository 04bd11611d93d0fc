pytest_plugins = ["kspo_sheets.standin.pytest_plugin"]
