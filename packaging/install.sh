#!/usr/bin/env bash
# `make install` / `make uninstall` (docs/operations.md "Installing"). Lays out a built server (OUT, default
# build/lightnvr: `make build` or `make publish-self-contained`) as a system install:
#   $PREFIX/lib/lightnvr/        the server and its web UI (www/)      PREFIX=/usr
#   $PREFIX/bin/lightnvr         symlink to it
#   $SYSCONFDIR/lightnvr/lightnvr.ini   config/lightnvr.ini, never overwritten     SYSCONFDIR=/etc
#   $LOCALSTATEDIR/lib/lightnvr/  database, backups, recordings                   LOCALSTATEDIR=/var
#   $UNITDIR/lightnvr.service    packaging/systemd/lightnvr.service              UNITDIR=/lib/systemd/system
# DESTDIR stages it all under another root (packaging, tests). Only a real install (no DESTDIR, as root) creates the
# lightnvr system user, hands it the state folder and reloads systemd when systemd is running.
set -euo pipefail
action=${1:-install}
root=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$root/build/lightnvr}
PREFIX=${PREFIX:-/usr}
SYSCONFDIR=${SYSCONFDIR:-/etc}
LOCALSTATEDIR=${LOCALSTATEDIR:-/var}
UNITDIR=${UNITDIR:-/lib/systemd/system}
DESTDIR=${DESTDIR:-}
libdir="$PREFIX/lib/lightnvr"
real_install=false
[ -z "$DESTDIR" ] && [ "$(id -u)" -eq 0 ] && real_install=true

if [ "$action" = uninstall ]; then
  if $real_install && [ -d /run/systemd/system ]; then systemctl disable --now lightnvr.service 2>/dev/null || true; fi
  rm -rf "$DESTDIR$libdir" "$DESTDIR$PREFIX/bin/lightnvr" "$DESTDIR$UNITDIR/lightnvr.service"
  echo "uninstall: removed the program and the unit; kept $SYSCONFDIR/lightnvr and $LOCALSTATEDIR/lib/lightnvr (your data)"
  exit 0
fi

[ -x "$OUT/lightnvr" ] || { echo "install: no server at $OUT/lightnvr (run make build first)" >&2; exit 1; }

install -d -m 0755 "$DESTDIR$libdir" "$DESTDIR$PREFIX/bin" "$DESTDIR$UNITDIR" "$DESTDIR$SYSCONFDIR/lightnvr"
rm -rf "$DESTDIR$libdir"/*
cp -a "$OUT/." "$DESTDIR$libdir/"
[ -f "$root/README.md" ] && install -m 0644 "$root/README.md" "$DESTDIR$libdir/README.md"
ln -sfn "$libdir/lightnvr" "$DESTDIR$PREFIX/bin/lightnvr"

# The sample config and the unit name /usr and /var; other prefixes get their own paths written in.
sed -e "s|/usr/lib/lightnvr|$libdir|g" -e "s|/var/lib/lightnvr|$LOCALSTATEDIR/lib/lightnvr|g" \
  -e "s|/var/log/lightnvr|$LOCALSTATEDIR/log/lightnvr|g" "$root/config/lightnvr.ini" > "$DESTDIR$SYSCONFDIR/lightnvr/lightnvr.ini.new"
if [ -e "$DESTDIR$SYSCONFDIR/lightnvr/lightnvr.ini" ]; then
  echo "install: kept your $SYSCONFDIR/lightnvr/lightnvr.ini (the new sample is lightnvr.ini.new)"
else
  mv "$DESTDIR$SYSCONFDIR/lightnvr/lightnvr.ini.new" "$DESTDIR$SYSCONFDIR/lightnvr/lightnvr.ini"
fi
sed -e "s|/usr/lib/lightnvr|$libdir|g" -e "s|/etc/lightnvr|$SYSCONFDIR/lightnvr|g" \
  "$root/packaging/systemd/lightnvr.service" > "$DESTDIR$UNITDIR/lightnvr.service"
chmod 0644 "$DESTDIR$UNITDIR/lightnvr.service"
install -d -m 0750 "$DESTDIR$LOCALSTATEDIR/lib/lightnvr"

if $real_install; then
  id lightnvr >/dev/null 2>&1 || useradd --system --home-dir "$LOCALSTATEDIR/lib/lightnvr" --no-create-home \
    --shell /usr/sbin/nologin lightnvr
  chown -R lightnvr:lightnvr "$LOCALSTATEDIR/lib/lightnvr"
  # The settings API writes the config back (temporary file + rename in the folder): the group may write both.
  chgrp lightnvr "$SYSCONFDIR/lightnvr" "$SYSCONFDIR/lightnvr/lightnvr.ini"
  chmod 0770 "$SYSCONFDIR/lightnvr" && chmod 0660 "$SYSCONFDIR/lightnvr/lightnvr.ini"
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    echo "install: done. Start it with: systemctl enable --now lightnvr; the first admin password is in: journalctl -u lightnvr"
  else
    echo "install: done (systemd is not running here: start $PREFIX/bin/lightnvr -c $SYSCONFDIR/lightnvr/lightnvr.ini yourself)"
  fi
else
  echo "install: staged under ${DESTDIR:-/} (no user created, nothing enabled)"
fi
