#!/usr/bin/env python3
"""The SQLite baseline of the import benchmark: Python's sqlite3.executemany of the rows an import stored.

The rows are read first (untimed) from the import's own database, so their values and storage classes are exactly those the
import wrote; only executemany and the commit into the target database (a fresh copy of the migrated schema, holding the
batch row the records point at) are timed. Prints one line of JSON: {"rows": N, "seconds": S, "sqlite": "3.x"}.
"""
import argparse
import json
import sqlite3
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True, help="the database the import wrote")
    parser.add_argument("--batch", required=True, type=int, help="the import's batch id")
    parser.add_argument("--target", required=True, help="an empty copy of the schema to insert into")
    parser.add_argument("--columns", required=True, help="comma-separated column names (every column but Id)")
    parser.add_argument("--cache-kib", type=int, default=65536, help="page cache, as the import's connection sets it")
    parser.add_argument("--foreign-keys", type=int, default=1, help="1 if the import's connection enforces foreign keys")
    args = parser.parse_args()

    columns = ", ".join(f'"{c}"' for c in args.columns.split(","))
    with sqlite3.connect(args.source) as source:
        rows = source.execute(f'SELECT {columns} FROM "CiUsageRecords" WHERE "BatchId" = ? ORDER BY "Id"', (args.batch,)).fetchall()
    source.close()

    target = sqlite3.connect(args.target)
    target.execute(f"PRAGMA cache_size = -{args.cache_kib}")
    target.execute(f"PRAGMA foreign_keys = {args.foreign_keys}")
    marks = ", ".join("?" for _ in args.columns.split(","))
    insert = f'INSERT INTO "CiUsageRecords" ({columns}) VALUES ({marks})'

    started = time.perf_counter()
    target.executemany(insert, rows)
    target.commit()
    seconds = time.perf_counter() - started

    stored = target.execute('SELECT COUNT(*) FROM "CiUsageRecords" WHERE "BatchId" = ?', (args.batch,)).fetchone()[0]
    target.close()
    print(json.dumps({"rows": stored, "seconds": seconds, "sqlite": sqlite3.sqlite_version}))


if __name__ == "__main__":
    main()
