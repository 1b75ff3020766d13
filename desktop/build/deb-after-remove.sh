#!/bin/sh
[ -L /usr/bin/llmgate ] && rm -f /usr/bin/llmgate
exit 0
