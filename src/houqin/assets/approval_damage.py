"""Approval adapter of the damage part of the register (bound when the app is ready)."""
