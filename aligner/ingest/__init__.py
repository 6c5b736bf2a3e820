"""Ingest: decoding and page text (`text`), language tags and scripts (`langs`), paragraph and
sentence splitting (`segment`)."""
