"""Correcting alignments by hand: operations on links and sentences (`links`, `sentences`), kept
consistent across the three versions (`pairs`), saved with a version, an undo journal and the
TEI history (`session`). The CLI (`aligner edit`) and the web editor are thin layers over it."""
