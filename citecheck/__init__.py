"""citecheck: verify the sources of scholarly texts.

The pipeline runs one way, one folder per stage, frozen dataclasses passed between them:
read (files → notes) → cite (notes → citations) → probe (cited URLs → observations) →
judge (observations → verdicts) → findings → reports; export (citations → BibTeX, CSL-JSON)
stands beside probe, and cli drives it all. A stage imports only itself and earlier stages
(`lint-imports`; docs/development.md).
"""

__version__ = "0.1.0"
