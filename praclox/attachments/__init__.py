"""Attachments: proposals, contracts and minutes on an office or a contact, in the shared file store."""
