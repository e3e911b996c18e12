#!/bin/bash
# verifier-free on locate (the weakest trained family; every unseen family scores 0 from tiny-sft): env-only 20 steps
# on unlabelled train-split locate instances from each cm4 ECHO checkpoint; eval before/after on 72 held-out tasks
# (24 unseen locate seeds, 48 held-out-only).
cd /work/main
while pgrep -f "out runs/study-long" >/dev/null; do sleep 20; done
date > runs/vf4.start
vf() {
  s=$1
  ck=runs/cm4/echo-seed$s/checkpoints/step-000030
  ev="--config compare-miniature --set tasks.families=[locate] --set tasks.heldout_count=72"
  ./echo4j eval $ck $ev > runs/vf4-seed$s.before.eval 2>&1
  ./echo4j train --run runs/vf4-seed$s --config compare-miniature --set mode=env-only --set tasks.split=train \
      --set tasks.families=[locate] --set base_checkpoint=$ck --set steps=20 --set eval.every=0 --set seed=$s > runs/vf4-seed$s.log 2>&1
  ./echo4j eval runs/vf4-seed$s/checkpoints/step-000020 $ev > runs/vf4-seed$s.after.eval 2>&1
}
export -f vf
printf '%s\n' 4 5 6 | xargs -P 2 -I{} bash -c 'vf {}'
date > runs/vf4.end
