"""Reading and writing at the edges: TOML specs, reports; atomic writes."""
