"""REST API of the asset register."""
