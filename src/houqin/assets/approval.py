"""Approval adapters for transfers, disposals and compensation waivers (bound by their services)."""
