#!/bin/bash
set -euo pipefail
# As some published solutions do: offline, this line is dropped and bc is in the image.
apt-get update && apt-get install -y bc
echo "$(paste -sd+ numbers.txt | bc) $GREETING $ONLY_FOR_SOLUTION" > "$ANSWER_FILE"
