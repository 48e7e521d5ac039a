"""Indicator values and their imports in the admin."""
