"""The knowledge base: curated data files, each value with its unit and its source."""
