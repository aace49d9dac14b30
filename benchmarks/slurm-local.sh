#!/usr/bin/env bash
# Brings up a single-node Slurm cluster on this machine (munged, slurmctld, slurmd on localhost), runs a
# sharded ACAS Xu subset and a split hard instance through scripts/slurm/, checks that the merged results
# equal direct runs, and stops the daemons again. Needs root (it installs slurm-wlm and munge with apt-get)
# and ../shared/benchmarks/acasxu. Not part of .ci/run: slow and root-only.
#
#   benchmarks/slurm-local.sh [WORKDIR]        (default /tmp/nnverify-slurm)
#
# Environment: SHARDS (default 4), PARTS (default 4), EVERY (take every EVERY-th ACAS Xu instance, default 8),
# SCALE (timeout scale, default 0.25), CPUS (per task, default 1: two tasks at a time on 2 cores).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/nnverify-slurm}
acas=$root/../shared/benchmarks/acasxu
shards=${SHARDS:-4}; parts=${PARTS:-4}; every=${EVERY:-8}; scale=${SCALE:-0.25}
export CPUS=${CPUS:-1} MEM=${MEM:-4G} TIME=${TIME:-0:30:00}
[ -d "$acas" ] || { echo "needs $acas"; exit 1; }

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge
fi
(cd "$root" && swift build -c release --product nnverify >/dev/null)
export NNVERIFY=$root/.build/release/nnverify

host=$(hostname -s)
cpus=$(nproc)
memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 85 / 100 ))  # MB, leave some to the system
rm -rf "$work"; mkdir -p "$work"/{etc,state,spool,log}
conf=$work/etc/slurm.conf
cat > "$conf" <<CONF
ClusterName=nnverify-local
SlurmctldHost=$host
AuthType=auth/munge
CredType=cred/munge
SlurmUser=root
SlurmctldPidFile=$work/state/slurmctld.pid
SlurmdPidFile=$work/state/slurmd.pid
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherParams=OverMemoryKill
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
ReturnToService=2
MpiDefault=none
KillWait=5
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$conf

# munge: a key if the package did not make one, and a daemon with its own socket and pid file.
[ -f /etc/munge/munge.key ] || { mungekey --create 2>/dev/null || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1; }
chown munge:munge /etc/munge/munge.key 2>/dev/null || true; chmod 400 /etc/munge/munge.key
mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null || true
started_munge=""
if ! munge -n >/dev/null 2>&1; then
    sudo_munge() { if id munge >/dev/null 2>&1; then runuser -u munge -- "$@"; else "$@"; fi; }
    sudo_munge munged --pid-file="$work/state/munged.pid" 2>/dev/null || sudo_munge munged --force --pid-file="$work/state/munged.pid"
    started_munge=1
fi
munge -n | unmunge >/dev/null

stop() {
    for daemon in slurmd slurmctld; do
        [ -f "$work/state/$daemon.pid" ] && kill "$(cat "$work/state/$daemon.pid")" 2>/dev/null || true
    done
    [ -n "$started_munge" ] && [ -f "$work/state/munged.pid" ] && kill "$(cat "$work/state/munged.pid")" 2>/dev/null || true
}
trap stop EXIT
slurmctld -f "$conf"
slurmd -f "$conf"
for _ in $(seq 60); do sinfo -h -o %T 2>/dev/null | grep -qE '^idle' && break; sleep 1; done
sinfo

wait_for() {  # job ids: wait until none is queued or running
    while squeue -h -j "$(echo "$@" | tr ' ' ',')" 2>/dev/null | grep -q .; do sleep 2; done
}

# 1. Sharded ACAS Xu subset against a direct run.
# A suite folder linking ACAS Xu's files, so that expected.csv and witnesses/ apply.
mkdir -p "$work/suite"
for sub in onnx vnnlib witnesses; do ln -s "$(realpath "$acas/$sub")" "$work/suite/$sub"; done
awk -v n="$every" 'NR % n == 1' "$acas/instances.csv" > "$work/suite/instances.csv"
suite=$work/suite/instances.csv
count=$(wc -l < "$suite")
start=$(date +%s.%N)
read -r array merge < <("$root/scripts/slurm/bench-shards.sh" "$suite" "$shards" "$work/shards" \
    --timeout-scale "$scale" --expected "$acas/expected.csv")
echo "bench array $array, merge $merge ($count instances, $shards shards)"
wait_for "$array" "$merge"
sharded_seconds=$(echo "$(date +%s.%N) - $start" | bc)
cat "$work/shards/logs/merge.log"
start=$(date +%s.%N)
"$NNVERIFY" bench "$suite" --timeout-scale "$scale" --expected "$acas/expected.csv" --results "$work/direct.csv" > "$work/direct.log" || true
direct_seconds=$(echo "$(date +%s.%N) - $start" | bc)
verdicts() { tail -n +2 "$1" | cut -d, -f1-3 | sort; }
if diff <(verdicts "$work/direct.csv") <(verdicts "$work/shards/results.csv"); then
    echo "SHARDS OK: merged verdicts equal the direct run ($count instances; wall clock ${sharded_seconds}s sharded, ${direct_seconds}s direct)"
else
    echo "SHARDS DIFFER"; status=1
fi

# 2. A hard instance split into parts against a direct run.
onnx=$acas/onnx/ACASXU_run2a_4_2_batch_2000.onnx; spec=$acas/vnnlib/prop_2.vnnlib
start=$(date +%s.%N)
read -r array merge < <("$root/scripts/slurm/split-parts.sh" "$onnx" "$spec" "$parts" "$work/split" 116)
echo "part array $array, merge $merge"
wait_for "$array" "$merge"
split_seconds=$(echo "$(date +%s.%N) - $start" | bc)
cat "$work/split/logs/merge.log"
start=$(date +%s.%N)
direct=$("$NNVERIFY" verify "$onnx" "$spec" --timeout 116 | head -1 || true)
direct_seconds=$(echo "$(date +%s.%N) - $start" | bc)
merged=$(head -1 "$work/split/merged.result")
if [ "$merged" = "$direct" ]; then
    echo "SPLIT OK: 4_2 prop_2 merged '$merged' = direct '$direct' (wall clock ${split_seconds}s in $parts parts, ${direct_seconds}s direct)"
else
    echo "SPLIT DIFFERS: merged '$merged', direct '$direct'"; status=1
fi
exit "${status:-0}"
