"""老人老办法 (manual 5.5.1): loading the old system's staff export into legacy_persons.

columns.py   the export's columns, the values they accept, and the reasons a cell is refused
parse.py     the file decoded (UTF-8 or GB 18030), its header mapped, its body cut into pieces
rows.py      a piece's rows read and checked into LegacyRows or rejections (pure)
sealing.py   a piece sealed, hashed, masked and encoded: the work of one worker process
copy_rows.py the rows in PostgreSQL's binary COPY format
ids.py       the rows' ids: UUID version 7, increasing in the order of the file
load.py      the load: workers, duplicates, one streamed COPY and the legacy_loads row
report.py    the rejected rows' report (行号,列,原因)

Worker processes import this package: keep it free of imports (see sealing.py).
"""
