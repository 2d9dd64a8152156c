import csv, statistics, glob
def load(side):
    runs=[]
    for d in sorted(glob.glob('%s-*-scaling.csv'%side)):
        runs.append({(r['store'],r['keys_asked']):r for r in csv.DictReader(open(d))})
    return runs
old=load('old'); new=load('new')
for k in old[0]:
    if k[0] not in ('step3','step4','step5'): continue
    for col in ('ns_per_put','heap_bytes_per_key','reopen_ms'):
        o=[float(r[k][col]) for r in old if k in r and r[k][col]]; n=[float(r[k][col]) for r in new if k in r and r[k][col]]
        if o and n:
            print("%-6s %8s %-18s old %10.1f [%.1f-%.1f]  new %10.1f [%.1f-%.1f]  %.2f"%(k[0],k[1],col,statistics.median(o),min(o),max(o),statistics.median(n),min(n),max(n),statistics.median(n)/statistics.median(o)))
