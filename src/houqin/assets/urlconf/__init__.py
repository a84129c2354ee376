"""URL patterns and menu entries of the asset pages, one module per sub-domain."""
