"""The corpus: the one data model, its TEI P5 form and schemas, the store on disk, and the links
between versions (from engine beads, through a pivot, rows for side-by-side views)."""
