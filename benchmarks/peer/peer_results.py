#!/usr/bin/python3
"""Reads the JSON lines the peer timers print and turns side-by-side pairs into a markdown table of ratios.

Used by common.sh (the compare*.sh scripts and run_all.sh); each timer, ours or the peer, prints one JSON line per
measurement (inference prints one per network).

  peer_results.py get FILE KEY [FIELD=VALUE]
      prints KEY of the first JSON line of FILE (of the line whose FIELD equals VALUE, when given).
  peer_results.py add RESULTS ITEM UNIT higher|lower OURS_FILE PEER_FILE KEY [FIELD=VALUE]
      appends one round of ITEM to the tab-separated RESULTS file: KEY read from both files, "higher" or "lower" saying
      which is better. A side whose file holds no such line (its run failed) is recorded as failed.
  peer_results.py pairs RESULTS FILE UNIT ITEM_KEY OURS_KEY PEER_KEY
      appends one round of every JSON line of FILE that has all three keys, both sides from the same line (the ONNX
      Runtime peer prints such lines), rates ("higher" is better); prints how many, and fails when there were none.
  peer_results.py table RESULTS [PEER_NAME]
      prints | item | TransferKit | PEER_NAME (default PyTorch/Pillow) | ratio |, one row per item in first-seen order.
      Each side is the median over the item's rounds (with the range when there were several); the ratio is
      TransferKit's speed-up: peer / ours for times, ours / peer for rates, so above 1 means TransferKit is faster.
"""

import json
import math
import statistics
import sys

FAILED = "failed"


def records(path):
    """The JSON objects of PATH's lines that are JSON objects, in order; none when the file is missing."""
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line.startswith("{"):
                    continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    continue
    except FileNotFoundError:
        return


def find(path, key, where=None):
    """KEY of the first JSON line in PATH that matches WHERE ("field=value"); None when there is none."""
    field, _, wanted = where.partition("=") if where else (None, None, None)
    for record in records(path):
        if field is not None and str(record.get(field)) != wanted:
            continue
        if key in record:
            return record[key]
    return None


def number(text):
    return float("nan") if text == FAILED else float(text)


def show(value, unit):
    if math.isnan(value):
        return FAILED
    text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    return f"{text} {unit}"


def cell(values, unit):
    ok = [v for v in values if not math.isnan(v)]
    if not ok:
        return float("nan"), FAILED
    median = statistics.median(ok)
    text = show(median, unit)
    if len(ok) > 1:
        text += f" ({min(ok):.3g}-{max(ok):.3g}, {len(ok)} rounds)"
    if len(ok) < len(values):
        text += f" ({len(values) - len(ok)} failed)"
    return median, text


def pairs(results, path, unit, item_key, ours_key, peer_key):
    rows = [[str(r[item_key]), unit, "higher", str(r[ours_key]), str(r[peer_key])]
            for r in records(path) if all(k in r for k in (item_key, ours_key, peer_key))]
    with open(results, "a", encoding="utf-8") as f:
        for row in rows:
            f.write("\t".join(row) + "\n")
    if not rows:
        sys.exit(f"{path}: no JSON line with {item_key}, {ours_key} and {peer_key}")
    print(len(rows))


def table(path, peer_name="PyTorch/Pillow"):
    items = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            item, unit, better, ours, peer = line.rstrip("\n").split("\t")
            entry = items.setdefault(item, {"unit": unit, "better": better, "ours": [], "peer": []})
            entry["ours"].append(number(ours))
            entry["peer"].append(number(peer))
    print(f"| item | TransferKit | {peer_name} | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for item, e in items.items():
        ours, ours_text = cell(e["ours"], e["unit"])
        peer, peer_text = cell(e["peer"], e["unit"])
        num, den = (ours, peer) if e["better"] == "higher" else (peer, ours)
        ratio_text = "-" if math.isnan(num) or math.isnan(den) or den == 0 else f"{num / den:.2f}x"
        print(f"| {item} | {ours_text} | {peer_text} | {ratio_text} |")


def main(argv):
    if len(argv) >= 3 and argv[0] == "get":
        value = find(argv[1], argv[2], argv[3] if len(argv) > 3 else None)
        if value is None:
            sys.exit(f"{argv[1]}: no JSON line with '{argv[2]}'")
        print(value)
    elif len(argv) >= 8 and argv[0] == "add":
        results, item, unit, better, ours_file, peer_file, key = argv[1:8]
        if better not in ("higher", "lower"):
            sys.exit(f"'{better}' must be higher or lower")
        where = argv[8] if len(argv) > 8 else None
        values = [find(p, key, where) for p in (ours_file, peer_file)]
        with open(results, "a", encoding="utf-8") as f:
            f.write("\t".join([item, unit, better] + [FAILED if v is None else str(v) for v in values]) + "\n")
    elif len(argv) == 7 and argv[0] == "pairs":
        pairs(*argv[1:7])
    elif len(argv) in (2, 3) and argv[0] == "table":
        table(*argv[1:3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
