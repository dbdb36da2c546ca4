"""Instructions per SimPy event as the plant grows, counted by valgrind (callgrind): exact
and repeatable on a loaded machine, unlike CPU seconds.

For each plant size (copies of the baseline's five lines, as in ``bench_scale.py``) the
script runs itself under ``valgrind --tool=callgrind`` twice, for a short and a long horizon,
and divides the difference in instructions by the difference in events scheduled (imports,
scenario building and start-up cancel out). Slow: about a minute per plant size and horizon.

    python benchmarks/bench_instr.py                       # 1 and 10 copies (5 and 50 lines)
    python benchmarks/bench_instr.py --copies 1 4 10 --days 2 6
    python benchmarks/bench_instr.py --serial              # the SERIAL5 line instead
    python benchmarks/bench_instr.py --cache --days 1 2    # also simulated cache misses
    python benchmarks/bench_instr.py --cache --ll 1024 --days 1 2   # last level: a 1 MiB L2

valgrind takes the last-level cache it simulates from the host; on a virtual machine that
can be an implausible size (e.g. 512 MiB, no misses but the first touch of each line):
``--ll KIB`` simulates a last level of KIB KiB (16-way, 64-byte lines), e.g. the L2 whose
misses a growing plant's working set causes.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def child(copies: int, days: int, serial: bool) -> None:
    """Run one plant (in the child, under valgrind) and print the events scheduled."""
    sys.path.insert(0, str(HERE))
    import simpy

    from linesim.engine import simulate_record
    from linesim.scenario import read_yaml
    if serial:
        import bench_serial
        sc = bench_serial.load_serial(HERE / "serial_line.yaml", days)
    else:
        import bench_scale
        sc = bench_scale.plant(read_yaml(ROOT / "scenarios" / "baseline.yaml"), copies, days)
    made = []
    orig = simpy.Environment.__init__

    def init(self, *a, **k):
        orig(self, *a, **k)
        made.append(self)
    simpy.Environment.__init__ = init
    simulate_record(sc, None, 0)
    print("EVENTS", next(made[-1]._eid))


def measure(copies: int, days: int, serial: bool, cache: bool,
            ll_kib: int = 0) -> tuple[list[int], int]:
    """([instructions, D1 misses, last-level data misses], events) of one run under
    callgrind (the misses 0 unless ``cache``: valgrind's simulated caches; ``ll_kib``: the
    last level's size, KiB, 0 for the host's)."""
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
           *(["--cache-sim=yes"] if cache else []),
           *([f"--LL={ll_kib * 1024},16,64"] if cache and ll_kib else []),
           sys.executable, __file__, "--child", str(copies), str(days)]
    if serial:
        cmd.append("--serial")
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    names = re.search(r"Events *: ([\w ]+)", out.stderr).group(1).split()
    got = dict(zip(names, map(int, re.search(r"Collected : ([\d ]+)", out.stderr)
                              .group(1).split())))
    events = int(re.search(r"EVENTS (\d+)", out.stdout).group(1))
    return [got["Ir"], got.get("D1mr", 0) + got.get("D1mw", 0),
            got.get("DLmr", 0) + got.get("DLmw", 0)], events


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, nargs="+", default=[1, 10])
    ap.add_argument("--days", type=int, nargs=2, default=[2, 4],
                    help="short and long horizon (default 2 4)")
    ap.add_argument("--serial", action="store_true", help="the SERIAL5 line (copies ignored)")
    ap.add_argument("--cache", action="store_true",
                    help="simulate the caches too: data misses per event (much slower)")
    ap.add_argument("--ll", type=int, default=0, metavar="KIB",
                    help="with --cache: simulate a last level of KIB KiB (default: the host's)")
    ap.add_argument("--child", type=int, nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(*args.child, args.serial)
        return 0
    d0, d1 = args.days
    sizes = [1] if args.serial else args.copies
    print(f"{'lines':>6}{'events/line-day':>17}{'instr/event':>13}{'relative':>10}"
          + (f"{'D1 miss/event':>15}{'LL miss/event':>15}" if args.cache else ""))
    ref = None
    for k in sizes:
        c0, e0 = measure(k, d0, args.serial, args.cache, args.ll)
        c1, e1 = measure(k, d1, args.serial, args.cache, args.ll)
        per = [(b - a) / (e1 - e0) for a, b in zip(c0, c1)]
        ref = ref or per[0]
        lines = 1 if args.serial else 5 * k
        print(f"{lines:>6}{(e1 - e0) / (lines * (d1 - d0)):>17.0f}{per[0]:>13.0f}"
              f"{per[0] / ref:>10.2f}"
              + (f"{per[1]:>15.1f}{per[2]:>15.2f}" if args.cache else ""), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
