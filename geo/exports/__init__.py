"""Export formats: each writes layer frames to files that GIS tools and browsers open offline."""
