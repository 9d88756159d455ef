"""citecheck: verify the sources of scholarly texts.

The pipeline runs one way: documents → notes → citations → links → probes →
verdicts → findings → reports. Each stage lives in the module named after what
it produces, and passes frozen dataclasses to the next.
"""

__version__ = "0.1.0"
