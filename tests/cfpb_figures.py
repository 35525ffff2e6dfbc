#!/usr/bin/env python3
"""Figures computed straight from a CFPB complaints CSV, without gripe.

The integration tests import the same CSV with `gripe import --preset cfpb` and compare what
gripe reports against these numbers, so this script must not share any code with gripe: it
uses only Python's standard library, and reads the CFPB's own column names.

Usage: python3 tests/cfpb_figures.py FILE.csv  (prints one JSON document)

What it computes, following the cfpb preset as the README documents it:
- count: complaints (rows);
- by_category, by_channel: `Product` and `Submitted via` as slugs (lower case, every run of
  characters other than ASCII letters and digits one hyphen, none at the ends);
- by_company: `Company` as given (trimmed);
- by_month: `Date received` as YYYY-MM;
- by_stage: `closed`, or `acknowledged` when `Company response to consumer` is `In progress`;
- time_to_acknowledge: from `Date received` to `Date sent to company`, in seconds (whole days),
  and 0 when the CFPB dates the sending before the receipt (gripe records it on the day of
  receipt): count, median_s (lower middle value) and p90_s (nearest rank), and the full
  distribution `by_seconds` (seconds -> complaints).
"""

import csv
import datetime
import json
import math
import re
import sys
from collections import Counter


def slug(value):
    return re.sub(r"[^A-Za-z0-9]+", "-", value.strip()).strip("-").lower()


def nearest_rank(values, fraction):
    rank = max(1, math.ceil(fraction * len(values)))
    return values[rank - 1]


def figures(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    day = datetime.date.fromisoformat
    waits = sorted(
        max(0, (day(r["Date sent to company"].strip()) - day(r["Date received"].strip())).days)
        * 86400
        for r in rows
        if r["Date sent to company"].strip()
    )
    return {
        "count": len(rows),
        "by_category": dict(Counter(slug(r["Product"]) for r in rows)),
        "by_channel": dict(Counter(slug(r["Submitted via"]) for r in rows)),
        "by_company": dict(Counter(r["Company"].strip() for r in rows)),
        "by_month": dict(Counter(r["Date received"].strip()[:7] for r in rows)),
        "by_stage": dict(
            Counter(
                "acknowledged"
                if r["Company response to consumer"].strip() == "In progress"
                else "closed"
                for r in rows
            )
        ),
        "time_to_acknowledge": {
            "count": len(waits),
            "median_s": waits[(len(waits) - 1) // 2],
            "p90_s": nearest_rank(waits, 0.9),
            "by_seconds": {str(k): v for k, v in Counter(waits).items()},
        },
    }


if __name__ == "__main__":
    json.dump(figures(sys.argv[1]), sys.stdout, indent=2, sort_keys=True)
    print()
