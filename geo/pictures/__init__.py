"""Static pictures of the map for reports: a day's PNG snapshot and GIF/MP4 animations, drawn offline."""
