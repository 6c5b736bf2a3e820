"""aligner: multilingual parallel-text alignment into TEI corpora (Python API: `aligner.api`)."""

__version__ = "0.1.0"
