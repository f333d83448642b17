"""Print the SQL that seeds the working calendar (holidays, calendar_years) from ``chinese_calendar``.

Run once when the package gains a year, and paste the output into a new migration:
``.venv/bin/python services/applications/data/holidays/seed_sql.py 2004 2026``. Its output for
2004–2026 (chinese_calendar 1.11.0) is the seed at the end of migration 0004_workflow.sql;
tests/unit/applications/test_calendar.py checks the two agree. The years' ``source`` is what the
administrator reads on 放假安排, so it names the notices, never the package (0007 rewrote 0004's).
"""

from __future__ import annotations

import sys

import chinese_calendar

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
SOURCE = "国务院办公厅放假安排（{first}–{last}年）"


def seed_sql(first: int, last: int) -> str:
    rows = [
        f"('{day.isoformat()}', '{kind}', '{NAMES.get(name, name)}')"
        for table, kind in ((chinese_calendar.holidays, "休息日"), (chinese_calendar.workdays, "调休上班"))
        for day, name in sorted(table.items())
        if first <= day.year <= last
    ]
    rows.sort()
    source = SOURCE.format(first=first, last=last)
    years = ", ".join(f"({year}, '{source}')" for year in range(first, last + 1))
    return (
        "INSERT INTO calendar_years (year, source) VALUES " + years + ";\n"
        "INSERT INTO holidays (day, kind, name) VALUES\n    " + ",\n    ".join(rows) + ";\n"
    )


if __name__ == "__main__":
    sys.stdout.write(seed_sql(int(sys.argv[1]), int(sys.argv[2])))
