"""Milestones and progress updates in the admin."""
