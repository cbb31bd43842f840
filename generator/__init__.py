"""Turns daily Chinese paper digests into a cross-linked MkDocs site."""

__version__ = "0.1.0"
