#!/usr/bin/env bash
# Commit data/ after a refresh, only when it changed (git scraping: the history of data/ is the changelog).
#
#   scripts/commit-data-if-changed.sh            # commit locally
#   PUSH=1 scripts/commit-data-if-changed.sh     # and push, if a remote is configured
#
# Stages data/ only and commits data/ only (anything else staged stays staged, uncommitted). No change → exit 0
# without a commit; never an empty commit. The message comes from the last data/changelog.jsonl record
# (scripts/changelog_message.py). Env: PUSH=1 to push, REMOTE (default origin), PYTHON (default python3).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$(git rev-parse --show-toplevel)"
python="${PYTHON:-python3}"

git add --all -- data/
if git diff --cached --quiet -- data/; then
  echo "data/: no change; nothing to commit"
  exit 0
fi

message="$(mktemp)"
trap 'rm -f "$message"' EXIT
"$python" "$here/changelog_message.py" --data-dir data > "$message"
# A pathspec commits only data/, even if the caller had other changes staged.
git commit --quiet -F "$message" -- data/
echo "committed: $(git log -1 --format=%s)"

if [ "${PUSH:-0}" != "1" ]; then
  exit 0
fi
remote="${REMOTE:-origin}"
if ! git remote | grep -qx -- "$remote"; then
  echo "PUSH=1 but no remote '$remote' is configured; committed locally only" >&2
  exit 0
fi
branch="$(git rev-parse --abbrev-ref HEAD)"
if [ "$branch" = "HEAD" ]; then
  echo "detached HEAD: cannot push the data commit" >&2
  exit 1
fi
# Someone may have pushed code during the refresh: replay our data commit on top once, then push.
if ! git push --quiet "$remote" "HEAD:$branch"; then
  git pull --quiet --rebase --autostash "$remote" "$branch"
  git push --quiet "$remote" "HEAD:$branch"
fi
echo "pushed to $remote/$branch"
