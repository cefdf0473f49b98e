"""The Incidenten section: the case list and the case editor."""
