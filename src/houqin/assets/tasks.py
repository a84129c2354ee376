"""Scheduled jobs of the asset register."""
