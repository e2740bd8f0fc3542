"""CSV imports: how an organisation moves in from its old system.

Every import validates the whole file first; one bad row rejects the file with every bad row
listed by row number (the spreadsheet row: the header is row 1) and nothing is written.
"""
