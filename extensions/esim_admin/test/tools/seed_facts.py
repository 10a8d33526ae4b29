#!/usr/bin/env python3
"""Reads the seed's table specifications and prints them as SQL rows for
test/pgtap/01_seed_schema.sql: one row per column (table, position, name,
seed type, NOT NULL, UNIQUE, DEFAULT, FK target, enum values) and one per
listed index. Usage: seed_facts.py SEED.txt > facts.sql"""
import re
import sys

text = open(sys.argv[1], encoding="utf-8").read()
columns, indexes = [], []
table = None
position = 0
for line in text.splitlines():
    m = re.match(r"^### `(\w+)`", line)
    if m:
        table, position = m.group(1), 0
        continue
    if line.startswith("## ") and "Relationships" in line:
        table = None
    if table is None:
        continue
    cells = [c.strip() for c in line.split("|")[1:-1]] if line.startswith("|") else []
    if len(cells) == 4 and re.fullmatch(r"\w+", cells[0]) and cells[0] != "Column" \
            and re.fullmatch(r"[A-Z]+(\(\d+(,\d+)?\))?", cells[1]):
        name, typ, cons, desc = cells
        position += 1
        not_null = "NOT NULL" in cons or "PRIMARY KEY" in cons
        unique = "UNIQUE" in cons
        default = re.search(r"DEFAULT (\S+)", cons)
        fk = re.search(r"FOREIGN KEY → (\w+)\.id", cons)
        enum = [v.strip() for v in desc.split(",")] if typ == "ENUM" else None
        q = lambda s: "NULL" if s is None else "'" + s.replace("'", "''") + "'"
        columns.append("  (%s, %d, %s, %s, %s, %s, %s, %s, %s)" % (
            q(table), position, q(name), q(typ), str(not_null).lower(), str(unique).lower(),
            q(default.group(1) if default else None), q(fk.group(1) if fk else None),
            "NULL" if enum is None else "ARRAY[%s]" % ", ".join(q(v) for v in enum)))
    m = re.match(r"^\*\*Indexes\*\*: (.*)$", line)
    if m:
        for col in re.findall(r"`(\w+)`", m.group(1)):
            indexes.append("  ('%s', '%s')" % (table, col))
print("INSERT INTO seed_columns VALUES\n" + ",\n".join(columns) + ";")
print("INSERT INTO seed_indexes VALUES\n" + ",\n".join(indexes) + ";")
