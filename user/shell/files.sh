# Files and directories with busybox applets (issue 4): creating, copying,
# moving, linking, permissions, find/xargs, archives and compression,
# byte-level tools. Runs in a fresh tmpfs directory; output must match Linux.
set -u
umask 022
export TZ=UTC
work=/tmp/files-test
mkdir -p $work && cd $work || exit 1
echo "== create"
mkdir -p a/b/c d
touch a/empty
echo "first line" > a/one.txt
printf 'alpha\nbeta\ngamma\n' > a/b/three.txt
seq 1 100 > a/b/c/numbers
ls a a/b
ls -R a | head -20
echo "== copy move link"
cp a/one.txt d/copy.txt
cp -r a d/tree
mv d/copy.txt d/moved.txt
ln a/one.txt d/hard
ln -s ../a/one.txt d/soft
ls d
cat d/moved.txt d/hard d/soft
readlink d/soft
realpath d/soft
stat -c '%n %s %h %F' a/one.txt d/hard d/soft a/b
[ a/one.txt -ef d/hard ] && echo "hard link shares the inode"
[ -L d/soft ] && echo "soft is a symlink"
echo "== permissions"
chmod 640 a/one.txt
stat -c '%a %A' a/one.txt
chmod u+x,g-r,o+w a/one.txt
stat -c '%a %A' a/one.txt
chmod -R go-w a
stat -c '%a' a/one.txt a/b
mkdir -m 700 private
stat -c '%a' private
echo "== find and xargs"
find a | sort
find a -type f | sort
find a -name '*.txt' | sort
find . -type l
find a -type f -size +100c
find a -type f | sort | xargs wc -l
find a -name '*.txt' -exec cat {} \; | sort
echo a b c d e | xargs -n 2 echo pair
du -s a/b/c | cut -f2
echo "== archives"
tar cf t.tar a
tar tf t.tar | sort
mkdir x && tar xf t.tar -C x
diff -r a x/a && echo "tar round trip is identical"
tar czf t.tgz a d/tree
mkdir y && (cd y && tar xzf ../t.tgz)
cmp a/b/c/numbers y/a/b/c/numbers && echo "tar.gz round trip is identical"
gzip -c a/b/c/numbers > n.gz
gunzip -c n.gz | tail -1
zcat n.gz | wc -l
gzip -9 -k a/b/three.txt; ls a/b
gzip -d -f a/b/three.txt.gz && cat a/b/three.txt
bzip2 -c a/b/c/numbers | bunzip2 | md5sum
find a -type f | sort | cpio -o -H newc 2>/dev/null > t.cpio
mkdir z && (cd z && cpio -id < ../t.cpio 2>/dev/null)
find z -type f | sort
echo "== bytes"
printf 'hello\000world\n' > bin
od -c bin
od -An -tx1 bin
hexdump -C bin
xxd bin
dd if=/dev/zero of=zeros bs=512 count=8 2>/dev/null
ls -l zeros | awk '{print $5}'
dd if=a/b/c/numbers of=part bs=1 skip=10 count=20 2>/dev/null
cat part
echo
truncate -s 1000 grow && stat -c %s grow
truncate -s 10 grow && stat -c %s grow
md5sum a/b/three.txt
sha1sum a/b/three.txt
sha256sum a/b/three.txt
base64 a/b/three.txt
base64 a/b/three.txt | base64 -d
strings bin
cp a/b/three.txt d/installed && chmod 751 d/installed
chown 1234:5678 d/installed
stat -c "%a %u %g" d/installed
chgrp 42 d/installed
stat -c "%u %g" d/installed
echo "== more applets"
echo tee-data | tee t1 t2 > /dev/null
cat t1 t2
echo more | tee -a t1 > /dev/null
cat t1
printf 'a\r\nb\r\n' > crlf
dos2unix crlf && od -An -c crlf
unix2dos crlf && od -An -c crlf
unlink t2
ls t2 2>/dev/null || echo "unlink removed t2"
link t1 t3 && stat -c %h t1
sync && echo synced
tmp=$(mktemp -p /tmp) && [ -f "$tmp" ] && echo "mktemp made a file" && rm "$tmp"
dirname /a/b/c
basename /a/b/c.txt .txt
hostname > /dev/null && echo "hostname works"
uname -m
arch
sha512sum t1 | cut -c1-32
sort -u t1 t3
tr -d 'e' < t1
printf 'aaabbb\n' | tr -s 'ab'
printf '        x\n' | unexpand -a | od -An -c
pwd
cd a && pwd && cd ..
echo "== removal"
rm -r d/tree
rm d/soft d/hard
rmdir a/b/c 2>/dev/null || echo "rmdir of a non-empty directory fails"
rm -rf a
ls
cd / && rm -rf $work
echo "done"
