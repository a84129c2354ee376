"""Approval adapter of the movements part of the register (bound when the app is ready)."""
