"""Approval adapter of the disposal part of the register (bound when the app is ready)."""
