"""The pack format, loading and overlays, the resolved policy and its snapshot, the shared fold."""
