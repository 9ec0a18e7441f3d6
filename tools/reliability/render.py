#!/usr/bin/env python3
"""Renders the JSON lines the tests append to RA_FAULT_FIGURES (see tests/RaServer.Tests/Harness/ReliabilityFigures.cs)
as the Markdown tables RELIABILITY.md quotes: the fault tests' counts, the bad-input campaign's histograms and the
authorization matrix. Standard library only: it runs under whichever python3 is first on PATH."""
import json
import sys
from collections import defaultdict


def cell(value):
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{k} {cell(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value).replace("|", "\\|")


def main(path):
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    by_test = defaultdict(list)
    for row in rows:
        by_test[row["test"]].append(row)
    first = min((r["at"] for r in rows), default="")
    last = max((r["at"] for r in rows), default="")
    print(f"Figures of one run, {first[:19]}Z to {last[:19]}Z ({len(rows)} records).\n")

    runs = sorted((r["figures"] for t in by_test if t.startswith("fault: ") for r in by_test[t]),
                  key=lambda f: (f.get("test", ""), f.get("ca", ""), f.get("fault", "")))
    if runs:
        print("## Faults under load (two replicas)\n")
        print("| test | CA | fault | held s | drained s | submitted acked/stored | paid acked/stored | CSR acked/completed "
              "| issued twice | unknown to RA | open CA req | unsent mail | CA retried | mail retried/sent | statuses | watchers (events/reconnects/missing/twice/out of order) |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for f in runs:
            watchers = "; ".join(f"{w['received']}/{w['reconnects']}/{w['missing']}/{w['duplicates']}/{w['outOfOrder']}" for w in f.get("watchers", []))
            drained = f.get("drainSeconds")
            print(f"| {cell(f.get('test'))} | {cell(f.get('ca'))} | {cell(f.get('fault'))} | {cell(f.get('faultSeconds'))} "
                  f"| {cell(drained) if drained is not None else 'NOT'} "
                  f"| {f.get('submittedAcknowledged')}/{f.get('submittedStored')} | {f.get('paidAcknowledged')}/{f.get('paidStored')} "
                  f"| {f.get('csrAcknowledged')}/{f.get('completed')} | {f.get('applicationsIssuedTwice')} | {f.get('caCertificatesUnknownToRa')} "
                  f"| {f.get('openCaRequests')} | {f.get('unsentMail')} | {f.get('caRequestsRetried')} | {cell(f.get('mailRetried'))}/{cell(f.get('mailSent'))} "
                  f"| {cell(f.get('statuses', {}))} | {watchers} |")
        print()

    faults = sorted(t for t in by_test if not t.startswith("bad input") and not t.startswith("fault: ") and t != "authorization matrix")
    if faults:
        print("## Other reliability tests\n")
        print("| test | figures |\n|---|---|")
        for test in faults:
            for row in by_test[test]:
                print(f"| {cell(test)} | {cell(row['figures'])} |")
        print()

    campaigns = sorted(t for t in by_test if t.startswith("bad input"))
    if campaigns:
        print("## Bad input\n")
        print("| family | requests | by status | by reason |\n|---|---|---|---|")
        total = defaultdict(int)
        for test in campaigns:
            for row in by_test[test]:
                f = row["figures"]
                for status, n in f["byStatus"].items():
                    total[status] += n
                print(f"| {test[len('bad input: '):]} | {f['requests']} | {cell(f['byStatus'])} | {cell(f['byReason'])} |")
        print(f"\nAll families: {cell(dict(total))}; INTERNAL {total.get('Internal', 0)}, UNKNOWN {total.get('Unknown', 0)}.\n")
        print("| RPC | requests |\n|---|---|")
        per_rpc = defaultdict(int)
        for test in campaigns:
            for row in by_test[test]:
                for rpc, n in row["figures"]["byRpc"].items():
                    per_rpc[rpc] += n
        for rpc in sorted(per_rpc):
            print(f"| {rpc} | {per_rpc[rpc]} |")
        print()

    matrix = [r["figures"] for r in by_test.get("authorization matrix", [])]
    if matrix:
        services = sorted({m["service"] for m in matrix})
        presented = list(dict.fromkeys(m["presented"] for m in matrix))
        outcome = {(m["presented"], m["service"]): m["outcome"] for m in matrix}
        print("## Authorization matrix (presented client certificate × service)\n")
        print("| presented | " + " | ".join(services) + " |")
        print("|---|" + "---|" * len(services))
        for p in sorted(presented):
            print(f"| {cell(p)} | " + " | ".join(cell(outcome.get((p, s), "—")) for s in services) + " |")
        print()


if __name__ == "__main__":
    main(sys.argv[1])
