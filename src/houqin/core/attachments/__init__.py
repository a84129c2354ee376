"""Attachments and comments that any object can carry, and its activity timeline."""
