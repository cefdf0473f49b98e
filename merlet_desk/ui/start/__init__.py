"""The Start section: what needs attention today."""
