"""Synthetic-archive benchmark: ``python -m bench`` (``make bench``).

Builds an archive of N days by re-dating and re-numbering the papers of the
real digests (:mod:`bench.synth`), then times the generator, the MkDocs
build against a floor build of the same pages, measures the site and the
search index, and the first search result in headless Chromium; then adds a
day and publishes it as CI does, ``make site`` with the previous build, then
``make offline``, the zip of that site (:mod:`bench.publish`).
"""
