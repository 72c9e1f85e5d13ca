# Text processing, pipelines, redirections and command substitution with
# busybox applets (issue 4). Output must match Linux byte for byte.
set -u
export TZ=UTC LC_ALL=C
cd /tmp
cat > words <<'END'
the quick brown fox
jumps over the lazy dog
The Quick Brown Fox
the end
END
echo "== pipelines"
cat words | tr ' ' '\n' | sort | uniq -c | sort -rn | head -5
cat words | wc -l
tr 'a-z' 'A-Z' < words | head -2
sort words | uniq
sort -f words
sort -r words | tail -1
cut -d' ' -f2,3 words
cut -c1-5 words
grep -c the words
grep -i -n quick words
grep -v the words
grep -E 'fox|dog' words
grep -F 'The' words
grep -w the words | wc -l
grep -o 'o[a-z]' words | sort | uniq -c
sed -n '2p' words
sed 's/the/THE/g' words
sed -e '/end/d' -e 's/ /_/g' words
sed '1!G;h;$!d' words
awk '{print NF, $1}' words
awk '{n += NF} END {print "words:", n}' words
awk -F' ' '$1 == "the" {print NR": "$0}' words
awk 'BEGIN {for (i = 1; i <= 5; i++) s = s i; print s}'
printf '3\n1\n2\n10\n' | sort -n
printf '3\n1\n2\n10\n' | sort
printf 'b 2\na 1\nc 3\n' | sort -k2,2nr
head -c 10 words; echo
tail -n 2 words
tail -c 8 words
tac words
rev words
nl words
wc words
wc -w < words
fold -w 10 words | head -3
printf 'a\tb\n' | expand -t 4
paste -d: words words | head -2
printf '1 a\n2 b\n' > left; printf '1 x\n2 y\n' > right
printf 'x\ny\n' > f1; printf 'x\nz\n' > f2
diff f1 f2
cmp f1 f2 || echo "cmp reports a difference"
echo "== redirections"
echo out > r1
echo more >> r1
cat r1
ls /nonexistent 2> err || true
cat err | sed 's/.*nonexistent.*/error mentions the path/'
{ echo one; echo two; } > r2
wc -l < r2
exec 3> r3
echo to-fd-3 >&3
exec 3>&-
cat r3
cat <<END | tr a-z A-Z
here document $((6 * 7))
END
cat <<'END'
quoted $HOME stays
END
echo "== command substitution"
n=$(wc -l < words)
echo "lines: $n"
echo "nested: $(echo $(echo deep))"
echo "upper: $(echo abc | tr a-z A-Z)"
files=$(ls /tmp/words /tmp/r1)
echo $files
echo "== arithmetic and dates"
echo $((17 % 5)) $((2 ** 10)) $((0x10)) $((7 / 2))
expr 5 + 3
expr "hello" : 'h\(.*\)o'
date -d '2024-02-29 12:34:56' '+%Y-%m-%d %H:%M:%S %j %a'
date -u -d @0 '+%s %Y'
seq -s, 1 5
factor 360
echo "3 * 7 + 1" | bc
printf '%08.3f|%-5s|%5s|%x\n' 3.14159 ab cd 255
echo "== processes"
sleep 10 &
pid=$!
{ kill $pid; wait $pid; } 2>/dev/null # no racy job report
echo "status $?"
( exit 3 ) | cat; echo "pipeline status ${?}"
false | true; echo "last command decides: $?"
id -u; id -g
whoami
env -i A=1 B=2 env | sort
timeout 1 sleep 5; echo "timeout status $?"
yes | head -3
which sh
basename "$(which sh)"
rm -f words r1 r2 r3 err left right f1 f2
echo "done"
