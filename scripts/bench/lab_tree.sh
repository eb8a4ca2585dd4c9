#!/bin/sh
# bench/lab_tree.sh [ROUNDS]: tree,depth=2,fanout=2 (Mininet's names: 3
# switches s1-s3, a Linux bridge each, 4 hosts h1-h4, 6 links) built and
# torn down by ip netns and ip link commands, as a shell script would,
# ROUNDS times (default 5); prints the median build and teardown in ms,
# after checking once that h1 reaches h4 across the tree. bench/lab_tree.lua
# runs it inside a private lab host, so the named namespaces live in that
# host's own /run/netns and network namespace. Needs root and iproute2.
set -eu
rounds=${1:-5}
nodes="h1 h2 h3 h4 s1 s2 s3"

now() { date +%s%N; }

# link A IFA B IFB: a veth pair between namespaces t-A and t-B, both up.
link() {
  ip -n "t-$1" link add "$2" type veth peer name "$4" netns "t-$3"
  ip -n "t-$1" link set "$2" up
  ip -n "t-$3" link set "$4" up
}

build() {
  for n in $nodes; do ip netns add "t-$n"; ip -n "t-$n" link set lo up; done
  for s in s1 s2 s3; do
    ip -n "t-$s" link add br0 type bridge
    ip -n "t-$s" link set br0 up
  done
  link s1 veth0 s2 veth0
  link s1 veth1 s3 veth0
  link s2 veth1 h1 veth0
  link s2 veth2 h2 veth0
  link s3 veth1 h3 veth0
  link s3 veth2 h4 veth0
  for p in s1:veth0 s1:veth1 s2:veth0 s2:veth1 s2:veth2 s3:veth0 s3:veth1 s3:veth2; do
    ip -n "t-${p%%:*}" link set "${p#*:}" master br0
  done
  i=1
  for h in h1 h2 h3 h4; do ip -n "t-$h" addr add "198.18.0.$i/24" dev veth0; i=$((i + 1)); done
}

teardown() { for n in $nodes; do ip netns del "t-$n"; done; }

builds="" teardowns=""
r=0
while [ "$r" -lt "$rounds" ]; do
  t0=$(now); build; t1=$(now)
  if [ "$r" -eq 0 ]; then ip netns exec t-h1 ping -c1 -W2 198.18.0.4 >/dev/null || { teardown; echo "h1 does not reach h4" >&2; exit 1; }; fi
  t2=$(now); teardown; t3=$(now)
  builds="$builds $(( (t1 - t0) / 1000 ))" teardowns="$teardowns $(( (t3 - t2) / 1000 ))"
  r=$((r + 1))
done

# median of microsecond values, printed in ms
median() { printf '%s\n' $1 | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] / 1000 }'; }
echo "ip netns/ip link tree,depth=2,fanout=2: build $(median "$builds") ms, teardown $(median "$teardowns") ms (median of $rounds)"
