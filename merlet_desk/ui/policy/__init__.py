"""The Beleid section: the social-media policy viewer."""
