#!/usr/bin/env python3
"""Independent check of Gridwatch's metrics on the real Helsinki Open311 data.

    check_helsinki.py FIXTURE_JSON STATS_CSV [--from DATE] [--to DATE]
                      [--deadline-hours 72] [--generate CMD ARG ...]

Recomputes, per department, straight from the raw GeoReport v2 JSON (Python standard
library only, none of Gridwatch's code) the case counts, the closure and on-time closure
rates, and the n, median and p90 of received -> dispatched and received -> closed, and
compares them with the CSV that `gridwatch --export-stats FILE.csv --by department`
wrote for the same data. Exit status 0 when every figure agrees, 1 when one does not,
2 on bad usage, 77 (meson's "skipped") when the fixture is absent.

With --generate, the rest of the command line is run first to write the CSV; "{csv}" and
"{fixture}" in it are replaced by the two paths, and "{url}" by the address of a loopback
GeoReport v2 endpoint this script serves the fixture from.

The rules below are the documented Open311 mapping and metric definitions (README,
"Metrics"), restated from the raw fields:
  - a request's department is agency_responsible (white space collapsed); none: "(unassigned)";
  - received = requested_datetime; in range when from <= received < to;
  - closed when status is closed (or resolved/completed/done/archived); its close time is
    the latest of requested_datetime, updated_datetime and the times of its task events
    (task_created of every task but "informed"; task_modified of a completed or closed
    wait_for_answer / moved_to_other_system task);
  - dispatched at the first task_created of an "assigned" task (not before requested);
  - deadline = expected_datetime, or requested + the class's default (72 h) when absent;
  - due to close: closed, or deadline <= min(to, now); closed on time: close time <=
    deadline; late now: open and now > deadline;
  - everything as of "now": a close or dispatch later than now has not happened yet;
  - median and p90: nearest rank, the value of rank ceil(p*n/100) in ascending order.
The evaluation time "now" is the one the CSV states (a query parameter, not a result).
"""

import csv
import datetime as dt
import json
import math
import os
import subprocess
import sys

CLOSED_STATUSES = {"closed", "resolved", "completed", "done", "archived"}
UNASSIGNED = "(unassigned)"
TOTAL = "(all)"


def parse_time(text):
    """RFC 3339 / ISO 8601 to seconds since the epoch (UTC when no zone)."""
    if text is None:
        return None
    text = str(text).strip()
    if not text:
        return None
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    if len(text) == 10:
        text += "T00:00:00"
    t = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return t.timestamp()


def nearest_rank(values, p):
    v = sorted(values)
    return v[math.ceil(p * len(v) / 100) - 1]


def one_line(text):
    if text is None:
        return None
    s = " ".join(str(text).split())
    return s or None


def recompute(requests, t_from, t_to, now, deadline_hours):
    groups = {}
    due_limit = min(t_to, now) if t_to is not None else now

    for r in requests:
        received = parse_time(r.get("requested_datetime"))
        updated = parse_time(r.get("updated_datetime"))
        if received is None:
            received = updated
        if received is None:
            continue
        if (t_from is not None and received < t_from) or (t_to is not None and received >= t_to):
            continue
        dept = one_line(r.get("agency_responsible")) or UNASSIGNED
        tasks = (r.get("extended_attributes") or {}).get("tasks") or []

        closed = str(r.get("status") or "").strip().lower() in CLOSED_STATUSES
        times = [received] + ([updated] if updated is not None else [])
        first_assigned = None
        for t in tasks:
            created = parse_time(t.get("task_created"))
            modified = parse_time(t.get("task_modified"))
            start = created if created is not None else modified
            if start is None:
                continue
            start = max(start, received)
            kind = t.get("task_type")
            if kind != "informed":
                times.append(start)
            if (kind in ("wait_for_answer", "moved_to_other_system")
                    and t.get("task_state") in ("completed", "closed")):
                times.append(max(modified if modified is not None else start, start))
            if kind == "assigned" and (first_assigned is None or start < first_assigned):
                first_assigned = start
        close_time = max(times) if closed else None
        # Evaluated as of "now": what happened later has not happened yet.
        if close_time is not None and close_time > now:
            closed, close_time = False, None
        if first_assigned is not None and first_assigned > now:
            first_assigned = None

        expected = parse_time(r.get("expected_datetime"))
        deadline = expected if expected is not None else received + deadline_hours * 3600
        due = closed or deadline <= due_limit

        for key in (dept, TOTAL):
            g = groups.setdefault(key, {
                "cases": 0, "closed": 0, "open_now": 0, "late_now": 0, "due_to_close": 0,
                "closed_on_time": 0, "deadline_assumed": 0, "disp": [], "close": []})
            g["cases"] += 1
            g["deadline_assumed"] += expected is None
            if closed:
                g["closed"] += 1
                g["closed_on_time"] += close_time <= deadline
                g["close"].append(close_time - received)
            else:
                g["open_now"] += 1
                g["late_now"] += now > deadline
            g["due_to_close"] += due
            if first_assigned is not None:
                g["disp"].append(first_assigned - received)

    out = {}
    for key, g in groups.items():
        row = {k: v for k, v in g.items() if not isinstance(v, list)}
        row["closure_rate"] = 100.0 * g["closed"] / g["due_to_close"] if g["due_to_close"] else None
        row["on_time_closure_rate"] = (100.0 * g["closed_on_time"] / g["due_to_close"]
                                       if g["due_to_close"] else None)
        for name, values in (("received_dispatched", g["disp"]), ("received_closed", g["close"])):
            row["dur_%s_n" % name] = len(values)
            row["dur_%s_median_s" % name] = nearest_rank(values, 50) if values else None
            row["dur_%s_p90_s" % name] = nearest_rank(values, 90) if values else None
            row["dur_%s_mean_s" % name] = sum(values) / len(values) if values else None
        out[key] = row
    return out


def read_csv(path):
    with open(path, "rb") as f:
        raw = f.read()
    if not raw.startswith(b"\xef\xbb\xbf"):
        raise SystemExit("FAIL: %s does not start with a UTF-8 byte-order mark" % path)
    text = raw[3:].decode("utf-8")
    rows = list(csv.reader(text.splitlines(keepends=True)))
    header = [h.split(" ", 1)[0] for h in rows[0]]
    return [dict(zip(header, r)) for r in rows[1:] if r]


def serve_open311(directory, requests_file):
    """A loopback GeoReport v2 endpoint for the fixture: services.json and requests.json
    (query strings ignored, as some real servers do; the client stops at repeated pages)."""
    import http.server
    import threading

    files = {"/services.json": os.path.join(directory, "helsinki_services.json"),
             "/requests.json": requests_file}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            path = files.get(self.path.split("?", 1)[0])
            if path is None:
                self.send_error(404)
                return
            with open(path, "rb") as f:
                body = f.read()
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv):
    args = list(argv[1:])
    generate = None
    if "--generate" in args:
        i = args.index("--generate")
        generate, args = args[i + 1:], args[:i]
    opts = {"--from": None, "--to": None, "--deadline-hours": "72"}
    positional = []
    while args:
        a = args.pop(0)
        if a in opts:
            if not args:
                print("missing value for " + a, file=sys.stderr)
                return 2
            opts[a] = args.pop(0)
        else:
            positional.append(a)
    if len(positional) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    fixture, csv_path = positional
    if not os.path.exists(fixture):
        print("SKIP: fixture %s is absent" % fixture)
        return 77
    if generate:
        server = serve_open311(os.path.dirname(os.path.abspath(fixture)), fixture)
        url = "http://127.0.0.1:%d" % server.server_address[1]
        cmd = [a.replace("{csv}", csv_path).replace("{fixture}", os.path.abspath(fixture))
                .replace("{url}", url) for a in generate]
        print("running: " + " ".join(cmd))
        try:
            subprocess.run(cmd, check=True, timeout=300)
        finally:
            server.shutdown()

    with open(fixture, encoding="utf-8") as f:
        requests = json.load(f)
    ours = read_csv(csv_path)
    if not ours:
        print("FAIL: no rows in " + csv_path)
        return 1
    first = ours[0]
    if first.get("group_by") != "department":
        print("FAIL: the CSV is grouped by %r, not by department" % first.get("group_by"))
        return 1
    t_from = parse_time(first["from"]) if first["from"] else None
    t_to = parse_time(first["to"]) if first["to"] else None
    now = parse_time(first["now"])
    for name, want, got in (("from", opts["--from"], t_from), ("to", opts["--to"], t_to)):
        if want is not None and parse_time(want) != got:
            print("FAIL: the CSV covers %s = %s, expected %s" % (name, first[name], want))
            return 1

    theirs = recompute(requests, t_from, t_to, now, float(opts["--deadline-hours"]))
    ours_by_key = {r["key"]: r for r in ours}

    count_cols = ["cases", "closed", "open_now", "late_now", "due_to_close", "closed_on_time",
                  "deadline_assumed", "dur_received_dispatched_n", "dur_received_closed_n"]
    exact_cols = ["dur_received_dispatched_median_s", "dur_received_dispatched_p90_s",
                  "dur_received_closed_median_s", "dur_received_closed_p90_s"]
    # printed to 0.01 % and 0.1 s: half a unit of the last digit
    approx_cols = {"closure_rate": 0.0051, "on_time_closure_rate": 0.0051,
                   "dur_received_dispatched_mean_s": 0.051, "dur_received_closed_mean_s": 0.051}

    failures = 0
    checked = 0
    if set(theirs) != set(ours_by_key):
        print("FAIL: groups differ: only in the check %s, only in the CSV %s" % (
            sorted(set(theirs) - set(ours_by_key)), sorted(set(ours_by_key) - set(theirs))))
        failures += 1

    print("%-42s %6s %6s %6s %8s %8s %12s %12s" % (
        "department", "cases", "closed", "due", "结案率%", "按期%", "med recv→disp", "med recv→close"))
    for key in sorted(theirs, key=lambda k: (k == TOTAL, k == UNASSIGNED, k.encode())):
        t = theirs[key]
        o = ours_by_key.get(key)
        if o is None:
            continue
        bad = []
        for c in count_cols:
            checked += 1
            if int(o[c]) != t[c]:
                bad.append("%s: csv %s, check %s" % (c, o[c], t[c]))
        for c in exact_cols:
            checked += 1
            want = t[c]
            if (want is None) != (o[c] == "") or (want is not None and float(o[c]) != want):
                bad.append("%s: csv %r, check %r" % (c, o[c], want))
        for c, tol in approx_cols.items():
            checked += 1
            want = t[c]
            if (want is None) != (o[c] == "") or (want is not None and abs(float(o[c]) - want) > tol):
                bad.append("%s: csv %r, check %r" % (c, o[c], want))

        def fmt(x, spec):
            return "-" if x is None else spec % x
        print("%-42s %6d %6d %6d %8s %8s %12s %12s%s" % (
            key[:42], t["cases"], t["closed"], t["due_to_close"],
            fmt(t["closure_rate"], "%.2f"), fmt(t["on_time_closure_rate"], "%.2f"),
            fmt(t["dur_received_dispatched_median_s"], "%.0f s"),
            fmt(t["dur_received_closed_median_s"], "%.0f s"),
            "" if not bad else "   MISMATCH"))
        for b in bad:
            print("    " + b)
        failures += len(bad)

    if failures:
        print("FAIL: %d of %d figures differ" % (failures, checked))
        return 1
    print("OK: %d figures over %d groups agree (range %s .. %s, now %s)" % (
        checked, len(theirs), first["from"] or "-", first["to"] or "-", first["now"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
