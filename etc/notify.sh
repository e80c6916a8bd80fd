#!/bin/sh
# A notify hook as keepalived users write them: $1 = INSTANCE or GROUP, $2 = name,
# $3 = new state (MASTER, BACKUP, FAULT, STOP), $4 = priority.
# Appends one line per transition to $NOTIFY_LOG (default /var/log/keepalive-notify.log).
log=${NOTIFY_LOG:-/var/log/keepalive-notify.log}
echo "$(date +%H:%M:%S.%N | cut -c1-12) $1 $2 $3 $4" >> "$log"
