#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Stages the userland initramfs: Debian's busybox-static with a link for
# each applet in /bin, the files in user/userland (/init, /etc/profile)
# and empty /dev, /tmp, /proc and /root. Usage:
#   tools/mkuserland.sh STAGING_DIR [EXTRA_DIR]
# EXTRA_DIR's contents are copied over the top (tests add scripts so).
set -eu
dir=$1
extra=${2:-}
rm -rf "$dir"
mkdir -p "$dir/bin" "$dir/sbin" "$dir/etc" "$dir/dev" "$dir/tmp" "$dir/proc" "$dir/root"
cp /bin/busybox "$dir/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ "$applet" = busybox ] || ln -s busybox "$dir/bin/$applet"
done
install -m 0755 user/userland/init "$dir/init"
install -m 0644 user/userland/profile "$dir/etc/profile"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$dir/etc/passwd"
printf 'root:x:0:\n' >"$dir/etc/group"
chmod 1777 "$dir/tmp"
chmod 0700 "$dir/root"
if [ -n "$extra" ]; then
	cp -R "$extra/." "$dir/"
fi
