"""Widgets and helpers that several sections share; imports no section package."""
