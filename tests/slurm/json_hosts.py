#!/usr/bin/env python3
"""Prints how many distinct hosts a runner's JSON record names per worker or rank (a
"hosts" field at any depth, or a "host" field below the top level: the top-level "host"
is only where rank 0 ran), or "absent" when it names none; used by run_slurm_tests.sh."""
import json
import sys


def collect(value, hosts, top=True):
    """Adds every host under value to hosts; returns whether a host field was seen."""
    found = False
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "hosts" or (key == "host" and not top):
                found = True
                hosts.update(str(h) for h in (item if isinstance(item, list) else [item]))
            found = collect(item, hosts, False) or found
    elif isinstance(value, list):
        for item in value:
            found = collect(item, hosts, False) or found
    return found


with open(sys.argv[1], encoding="utf-8") as f:
    record = json.load(f)
hosts = set()
print(len(hosts) if collect(record, hosts) else "absent")
