# Shell basics (issue 3): variables, arithmetic, loops, functions,
# subshells, background jobs and wait, traps and kill, exit statuses.
# No pipes (so no command substitution) and no file writes. Output must match Linux byte for byte.
set -u
name=world
echo "hello, $name"
printf '%s=%d %05.1f %x %o %c|\n' answer 42 3.14159 255 8 Z
n=0 sum=0
while [ "$n" -lt 10 ]; do
	n=$((n + 1))
	sum=$((sum + n * n))
done
echo "sum of squares 1..10: $sum"
for word in alpha beta "gamma delta"; do
	echo "word: $word"
done
i=0
until [ $i -ge 3 ]; do i=$((i + 1)); done
echo "until stopped at $i"
for i in 1 2 3 4 5 6; do
	[ $i -eq 2 ] && continue
	[ $i -eq 5 ] && break
	echo "loop $i"
done
case "file.tar.gz" in
*.tar.gz) echo "case: tarball" ;;
*) echo "case: other" ;;
esac
fact() {
	if [ "$1" -le 1 ]; then result=1; return; fi
	fact $(($1 - 1))
	result=$(($1 * result))
}
fact 10
echo "fact 10 = $result"
count_args() { echo "$# args, first '$1', all '$*'"; }
count_args a "b c" d
set -- x y z
shift
echo "after shift: $# $1 $2"
str="Tern kernel"
echo "length ${#str}, prefix ${str%% *}, suffix ${str#* }, default ${unset_var:-dflt}"
x=outer
(x=inner; echo "in subshell x=$x"; exit 7)
echo "subshell status $? x=$x"
{ y=grouped; }
echo "brace group keeps y=$y"
false || echo "false || ran"
true && echo "true && ran"
if ! false; then echo "negation works"; fi
sleep 0.2 &
bg1=$!
(sleep 0.1; exit 3) &
bg2=$!
wait $bg2
echo "background job 2 exited $?"
wait $bg1
echo "background job 1 exited $?"
(exit 5) &
(exit 6) &
wait
echo "wait with no arguments: $?"
trap 'echo "trapped USR1"' USR1
kill -USR1 $$
echo "after USR1 trap"
sh -c 'trap "echo child got TERM; exit 4" TERM; kill -TERM $$; echo not reached'
echo "child with TERM trap exited $?"
sleep 10 &
victim=$!
# ash may or may not report the death of a background job, depending on
# when it notices: keep that report out of the compared output.
{ kill $victim; wait $victim; } 2>/dev/null
echo "killed sleep: status $? (128+15)"
sleep 10 &
victim=$!
{ kill -9 $victim; wait $victim; } 2>/dev/null
echo "SIGKILLed sleep: status $?"
kill -0 $$ && echo "kill -0 on self succeeds"
kill -0 99999 2>/dev/null || echo "kill -0 on a missing pid fails"
sh -c 'exit 42'
echo "sh -c exit status $?"
sh -c 'kill -TERM $$'
echo "sh killed by TERM: $?"
expr 7 \* 6
expr length hello
expr substr kernel 2 3
basename /usr/lib/tern.so .so
dirname /usr/lib/tern.so
[ -d / ] && echo "test: / is a directory"
[ -x /bin/busybox ] && echo "test: busybox is executable"
[ -e /nonexistent ] || echo "test: /nonexistent is absent"
seq 3 3 12
uname -s
eval 'ev=evaluated'
echo "eval: $ev"
readonly ro=1
(ro=2) 2>/dev/null || echo "readonly assignment fails"
echo "done"
