"""Files: reading tables (header detection, row checks) and writing every output atomically."""
