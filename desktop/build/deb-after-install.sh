#!/bin/sh
# Puts the bundled CLI on the PATH.
ln -sf "/opt/${sanitizedProductName}/resources/bin/llmgate" /usr/bin/llmgate
