import csv, statistics, glob, sys
def load(side):
    runs=[]
    for d in sorted(glob.glob('%s-*-results.csv'%side)):
        rows={}
        for r in csv.DictReader(open(d)):
            rows[(r['workload'],r['variant'],r['store'])]=float(r['ops_per_s'])
        runs.append(rows)
    return runs
old=load('old'); new=load('new')
keys=[k for k in old[0] if k[2] in ('step3','step4','step5','sqlite','raw-append','raw-replace')] if old else []
print("runs: old %d, new %d"%(len(old),len(new)))
print("%-34s %-12s %28s %28s %7s"%("workload","store","old median [min-max]","new median [min-max]","new/old"))
def fmt(v):
    return ("%.0f"%v) if v>=100 else ("%.1f"%v)
for k in keys:
    o=[r[k] for r in old if k in r]; n=[r[k] for r in new if k in r]
    if not o or not n: continue
    mo=statistics.median(o); mn=statistics.median(n)
    print("%-34s %-12s %28s %28s %7.2f"%(k[0]+"/"+k[1],k[2],"%s [%s-%s]"%(fmt(mo),fmt(min(o)),fmt(max(o))),"%s [%s-%s]"%(fmt(mn),fmt(min(n)),fmt(max(n))),mn/mo))
