#!/bin/bash
# usage: train-to-target.sh CONF FSTAR NAME [key=value ...]: one Newton-CG train run, then the
# iteration, seconds, passes and Hessian-vector products at the first iterate within 1e-6 of FSTAR.
conf=$1; fs=$2; name=$3; shift 3
cd "$(dirname "$0")/../../.."
SPARK_NEWTON_MASTER='local[2]' jobs/train.sh $conf solver.name=newton-cg solver.tol=1e-9 solver.maxIter=300 output.dir=/tmp/exp-$name "$@" > /tmp/exp-$name.log 2>&1
python3 - $name $fs <<'PY'
import json,sys
f=float(sys.argv[2])
hv=0
for l in open('/tmp/exp-%s/iterations.jsonl'%sys.argv[1]):
    r=json.loads(l); hv+=r['cgIterations']
    if (r['objective']-f)/f<=1e-6:
        print(sys.argv[1], 'iter',r['iteration'],'sec',r['seconds'],'passes',r['passes'],'hv',hv); break
else: print(sys.argv[1],'not reached', r['iteration'], (r['objective']-f)/f)
PY
