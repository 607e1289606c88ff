#!/usr/bin/env bash
# Stands in for Apache Kafka's kafka-topics.sh in the guide tests (the local stack runs Kafka from
# its jars, without the CLI tools): `--create` with the same flags, through the Admin API.
exec node "$(dirname "${BASH_SOURCE[0]}")/kafka-topics.mjs" "$@"
