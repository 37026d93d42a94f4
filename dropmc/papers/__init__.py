"""Claim catalogs, one module per paper key (``dropmc.papers.<paper_key>``)."""
