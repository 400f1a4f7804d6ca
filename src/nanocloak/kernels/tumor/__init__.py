"""Tumor response: growth laws, kill terms of each modality, metastasis, toxicity, endpoints."""
