"""PySide6 user interface: thin views over the store and domain functions the CLI also uses."""
