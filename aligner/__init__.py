"""aligner: multilingual parallel-text alignment into TEI corpora."""

__version__ = "0.1.0"
