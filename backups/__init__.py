"""Backups of the database and the media files, and their restoring: `manage.py backup` and
`manage.py restore` (docs/decisions/0015-backup-and-restore.md)."""
