"""Beside the pipeline, export: citations → biblatex, classic BibTeX and CSL-JSON files."""
