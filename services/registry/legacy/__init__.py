"""Old-regime (甲/乙/丙/丁) certificates loaded for 复审换证: the CSV read and validated row by row
(``parse``), the rows to write built in Python (``rows``), then COPY-loaded with one
CertificateIssued(regime="legacy") each (``load``)."""
