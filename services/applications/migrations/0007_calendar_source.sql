-- The years seeded by 0004 named the Python package their data was taken from as their source,
-- which the administrator's 放假安排 page showed. Their source is what the data is: the 国务院办公厅
-- notices of 2004–2026. A year the administrator has loaded since keeps its own source.
UPDATE calendar_years SET source = '国务院办公厅放假安排（2004–2026年）'
WHERE loaded_by = 'migration' AND source = 'chinese_calendar 1.11.0';
