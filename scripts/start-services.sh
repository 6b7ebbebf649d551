#!/usr/bin/env bash
# Starts the daemons kgate's libvirt backend talks to, when they are not
# running. There is no systemd on the development and CI machines, so the
# project starts virtlogd and then libvirtd itself (both daemonise with -d).
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "start-services: not root; leaving virtlogd/libvirtd as they are" >&2
  exit 0
fi
if ! command -v libvirtd >/dev/null 2>&1; then
  echo "start-services: libvirtd is not installed (scripts/install-deps.sh installs it)" >&2
  exit 4
fi
pgrep -x virtlogd >/dev/null || virtlogd -d
pgrep -x libvirtd >/dev/null || libvirtd -d
# libvirtd takes a moment to open its socket.
for _ in $(seq 1 50); do
  [ -S /run/libvirt/libvirt-sock ] && exit 0
  sleep 0.1
done
echo "start-services: libvirtd started but /run/libvirt/libvirt-sock did not appear" >&2
exit 4
