#!/usr/bin/env bash
# deploy/rootfs.sh BIN ROOTFS: lays out in ROOTFS what a FROM scratch image needs to run
# the retort binary BIN (docs/deploy.md): the stripped binary at /usr/local/bin/retort;
# every library the loader opens, as a regular file at the path ldd names (the soname;
# the interpreter at /lib64); an /etc/passwd entry for uid 65532 so that libpq finds a
# default user name and a home (~/.pgpass, ~/.postgresql/root.crt). The Dockerfiles
# add the migrations: the project's files (Dockerfile) or one bundle (Dockerfile.bundle).
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: rootfs.sh BIN ROOTFS" >&2; exit 2; }
bin=$1 root=$2
install -D -s "$bin" "$root/usr/local/bin/retort"
for f in $(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do
	install -D "$(readlink -f "$f")" "$root$f"
done
mkdir -p "$root/etc" "$root/home/retort"
printf 'retort:x:65532:65532::/home/retort:/sbin/nologin\n' >"$root/etc/passwd"
chown 65532:65532 "$root/home/retort"
