# The system as busybox sees it through /proc and devices (issue 4):
# ps, pidof, kill and job states, FIFOs, free, df, mount, uptime,
# hostname, id, ulimit, traps. Output must match Linux byte for byte.
set -u
mkdir -p /proc
mount -t proc proc /proc 2>/dev/null
echo "== processes"
sleep 30 &
s=$!
# Until the child has exec'd, it is still a copy of the shell.
while [ "$(cat /proc/$s/comm)" != sleep ]; do sleep 0.05; done
ps -o pid,comm | awk -v p=$s '$1 == p {print "ps shows", $2}'
[ "$(cat /proc/$s/comm)" = sleep ] && echo "comm is sleep"
pidof sleep > /dev/null && echo "pidof finds sleep"
[ "$(cat /proc/$s/cmdline | tr '\0' ' ')" = "sleep 30 " ] && echo "cmdline is sleep 30"
kill -STOP $s
sleep 0.2
grep '^State' /proc/$s/status
kill -CONT $s
sleep 0.2
grep '^State' /proc/$s/status
# ash may or may not report the death of a background job, depending on
# when it notices: keep that report out of the compared output.
{ kill $s; wait $s; } 2>/dev/null
echo "killed: $?"
[ -d /proc/$s ] || echo "reaped: its /proc directory is gone"
echo "== fifo"
mkfifo /tmp/ff
(echo through-fifo > /tmp/ff) &
cat /tmp/ff
wait
rm /tmp/ff
echo "== memory and mounts"
free | awk 'NR == 2 {print "free: total > 0:", ($2 > 0)}'
df -k /tmp | awk 'NR == 2 {print "df: blocks > 0:", ($2 > 0)}'
grep -c ' /proc proc ' /proc/mounts
mount | grep -c 'on /tmp type tmpfs'
awk '{print "uptime > 0:", ($1 > 0)}' /proc/uptime
awk '{print "loadavg fields:", NF}' /proc/loadavg
grep -c '^processor' /proc/cpuinfo
echo "== identity"
hostname tern-test
hostname
cat /proc/sys/kernel/hostname
uname -s
cat /proc/sys/kernel/ostype
id
echo "== limits"
ulimit -n
(ulimit -n 64; ulimit -n)
echo "== signals and traps"
trap 'echo got INT' INT
kill -INT $$
trap - INT
sh -c 'kill -KILL $$'
echo "status $?"
umount /proc
echo "done"
