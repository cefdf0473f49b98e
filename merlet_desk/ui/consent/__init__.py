"""The Toestemmingen section: the consent register, its dialogs and the publication check."""
