"""The parallel concordance: the FTS5 index (`index`) and, for `--regex`, the pattern's pieces
(`regex_tokens`), its required literals (`regex_literals`) and characters (`regex_atoms`), property
escapes as ranges (`regex_classes`), a wider form of patterns with lookarounds (`regex_widen`) and
the scan of joined sentences (`regex_scan`)."""
