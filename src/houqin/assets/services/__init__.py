"""Rules of the asset register, one module per sub-domain."""
