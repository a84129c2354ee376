"""Approval adapters of this module."""
