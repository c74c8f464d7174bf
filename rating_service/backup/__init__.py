"""Backups that restore: the database, the documents and attachments folders, the audit anchors, a manifest."""
