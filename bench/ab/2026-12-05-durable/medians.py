# Medians and [min-max] spreads of the A/B runs in this directory (issue #27): python3 medians.py
# Reads old-N-results.csv and new-N-results.csv (each a run's results/results.csv). A store that only
# one side has (the three new raw floors exist only in "new") is printed with that side alone.
import csv, glob, statistics

STORES = ('step5', 'sqlite', 'rocksdb', 'raw-append', 'raw-append-fsync', 'raw-prealloc', 'raw-prealloc-fsync')
WORKLOADS = (('counter', 'durable'), ('commit', '1 thread'), ('commit', '8 threads'))

def load(side):
    runs = []
    for name in sorted(glob.glob('%s-*-results.csv' % side)):
        runs.append({(r['workload'], r['variant'], r['store']): float(r['ops_per_s']) for r in csv.DictReader(open(name))})
    return runs

def spread(values):
    if not values:
        return '-'
    shown = lambda v: ('%.0f' % v) if v >= 100 else ('%.1f' % v)
    return '%s [%s-%s]' % (shown(statistics.median(values)), shown(min(values)), shown(max(values)))

old, new = load('old'), load('new')
print('runs: old %d, new %d' % (len(old), len(new)))
print('%-22s %-19s %26s %26s %8s' % ('workload', 'store', 'old median [min-max]', 'new median [min-max]', 'new/old'))
for workload in WORKLOADS:
    for store in STORES:
        key = workload + (store,)
        o = [r[key] for r in old if key in r]
        n = [r[key] for r in new if key in r]
        if not o and not n:
            continue
        ratio = '%.2f' % (statistics.median(n) / statistics.median(o)) if o and n else '-'
        print('%-22s %-19s %26s %26s %8s' % ('/'.join(workload), store, spread(o), spread(n), ratio))
print()
print('step 5 against the floor of its own pattern (new runs, medians):')
for workload in WORKLOADS:
    mine = [r[workload + ('step5',)] for r in new if workload + ('step5',) in r]
    for floor in ('raw-prealloc', 'raw-append'):
        theirs = [r[workload + (floor,)] for r in new if workload + (floor,) in r]
        if mine and theirs:
            print('  %-22s step5 / %-13s %.2f' % ('/'.join(workload), floor, statistics.median(mine) / statistics.median(theirs)))
