"""Scheduled jobs of this module."""
