"""Translation QA: checks over every link of every language pair, reported as findings.

One module per check family registers its checks by name (`registry.py`); `run.py` applies the
enabled ones to a corpus; `report.py` renders findings as a table, JSON or HTML.
"""
