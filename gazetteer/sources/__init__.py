"""One module per data source of the gazetteer; each adds its places (or names) to a GazetteerWriter in a
step that build.py calls in its stated order."""
