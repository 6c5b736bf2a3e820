"""The reader: side-by-side reading of parallel texts as a static web site and in the terminal."""
