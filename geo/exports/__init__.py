"""Export writers, one module per output format."""
