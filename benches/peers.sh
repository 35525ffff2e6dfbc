#!/usr/bin/env bash
# benches/peers.sh: gripe against two peer tools, on the same data, in the same run.
#
# What it measures (DESIGN.md section 9, "Peers for comparison"):
#   - Taskwarrior 2.6   `task summary` and `task count` over 100,000 tasks
#   - Backlog.md        `backlog overview` and `backlog task list --plain` over 10,000 tasks
#   - gripe             `gripe report` and `gripe trends --by category` over 100,000 and
#                       10,000 complaints (GRIPE_NOW fixed, so the output is the same every run)
#   - plain read        `find DIR -name '*.toml' -print0 | xargs -0 cat > /dev/null` over gripe's
#                       files of each count: the floor that every ratio below is taken against
# Each command is run once untimed (to warm the page cache and any tool cache), then RUNS times;
# the table shows the median wall time, the peak resident memory over those runs (from
# /usr/bin/time %M, which for a pipeline is its largest process), and the ratio of the median to
# the plain read of gripe's files of the same count.
#
# The peers get the same items as gripe: the complaints written by `examples/generate.rs` are
# turned into Taskwarrior tasks (title, category.component as project, channel and tags as tags,
# severity as priority, promise or open follow-up as due date, opened/closed as entry/end,
# timeline notes as annotations) and Backlog.md task files (the shape `backlog task create`
# writes: YAML front matter plus Description / Implementation Notes / Final Summary sections,
# stages mapped onto To Do / In Progress / Done). The Backlog.md files are written directly:
# creating 10,000 tasks through its CLI would take over an hour.
#
# How to run (from anywhere; takes ~5-15 minutes the first time, mostly data generation and
# `task import`, and ~3-5 minutes afterwards, when the data under $PEERS_DIR is reused):
#
#   bash benches/peers.sh
#
# Needs: cargo, python3 (3.11+, for tomllib), Taskwarrior 2.6 as `task`, GNU time at
# /usr/bin/time, node/npm (Backlog.md is installed with npm under $PEERS_DIR, never in the repo).
# Settings, all optional environment variables:
#   PEERS_DIR       scratch folder for all data (default /tmp/gripe-peers); delete it to start anew
#   RUNS            timed runs per command (default 5)
#   BACKLOG_VERSION Backlog.md version from npm (default 1.52.0)
#   TASK_BIN        Taskwarrior binary (default: task on PATH)
#
# Nothing here prompts or waits for a terminal: stdin is /dev/null, every timed command runs
# under `timeout`, Taskwarrior runs with confirmation=off and verbose=nothing, and
# `backlog overview` prints plain text when stdout is not a terminal.

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PEERS_DIR=${PEERS_DIR:-/tmp/gripe-peers}
RUNS=${RUNS:-5}
BACKLOG_VERSION=${BACKLOG_VERSION:-1.52.0}
TASK_BIN=${TASK_BIN:-$(command -v task || true)}
TIMEOUT=${TIMEOUT:-300}
export GRIPE_NOW=2026-11-26T09:00:00Z
export TZ=UTC

GRIPE=$REPO/target/release/gripe
GENERATE=$REPO/target/release/examples/generate
BACKLOG=$PEERS_DIR/backlog-npm/node_modules/.bin/backlog
RESULTS=$PEERS_DIR/results.tsv

log() { printf '%s\n' "peers: $*" >&2; }
die() { log "$*"; exit 1; }

for tool in cargo python3 npm "$TASK_BIN" /usr/bin/time timeout; do
    [[ -n $tool ]] && command -v "$tool" >/dev/null || die "needs $tool"
done
python3 -c 'import tomllib' 2>/dev/null || die "needs python3 3.11+ (tomllib)"
mkdir -p "$PEERS_DIR"

# --- 1. gripe: release build and complaint data ---------------------------------------------

log "building gripe (release)"
(cd "$REPO" && cargo build --release --quiet && cargo build --release --quiet --example generate)

# gripe_data N: the folder of N generated complaints, generated once (a marker file beside the
# folder says the generation finished; the folder itself holds nothing but complaint files).
gripe_data() {
    local n=$1 dir=$PEERS_DIR/gripe-$1
    if [[ ! -e $dir.ok ]]; then
        log "generating $n complaints in $dir"
        rm -rf "$dir" "$dir.partial"
        "$GENERATE" --count "$n" --out "$dir.partial" >&2
        mv "$dir.partial" "$dir"
        touch "$dir.ok"
    fi
    printf '%s\n' "$dir"
}
G100K=$(gripe_data 100000)
G10K=$(gripe_data 10000)

# --- Complaint -> peer conversion (python3, reads gripe's TOML with tomllib) -----------------

# convert.py MODE SRC OUT: MODE "taskwarrior" writes one JSON array for `task import`;
# MODE "backlog" writes SRC's complaints as Backlog.md task files into the folder OUT.
CONVERT=$PEERS_DIR/convert.py
cat >"$CONVERT" <<'PY'
import json, os, sys, tomllib, uuid
from datetime import date, datetime, timezone

mode, src, out = sys.argv[1:4]

def paths(root):
    found = []
    for d, _, files in os.walk(root):
        found += [os.path.join(d, f) for f in files if f.endswith(".toml")]
    return sorted(found)

def utc(v):
    if isinstance(v, datetime):
        return v.astimezone(timezone.utc) if v.tzinfo else v.replace(tzinfo=timezone.utc)
    return datetime(v.year, v.month, v.day, tzinfo=timezone.utc)

def tw(v):
    return utc(v).strftime("%Y%m%dT%H%M%SZ")

def due_of(c):
    if c.get("promised_by") is not None:
        return c["promised_by"]
    for f in c.get("followup", []):
        if f.get("done") is None:
            return f["due"]
    return None

def closed_at(c):
    for e in reversed(c.get("event", [])):
        if e.get("kind") == "stage" and e.get("to") == "closed":
            return e["at"]
    return None

def last_at(c):
    events = c.get("event", [])
    return events[-1]["at"] if events else c["opened"]

TW_PRIORITY = {"critical": "H", "high": "H", "medium": "M", "low": "L"}
BL_PRIORITY = {"critical": "high", "high": "high", "medium": "medium", "low": "low"}
BL_STATUS = {"new": "To Do", "acknowledged": "To Do", "investigating": "In Progress",
             "resolved": "In Progress", "following-up": "In Progress", "closed": "Done"}

def taskwarrior():
    tasks = []
    for p in paths(src):
        with open(p, "rb") as fh:
            c = tomllib.load(fh)
        t = {
            "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, "gripe:" + c["id"])),
            "description": c["title"],
            "entry": tw(c["opened"]),
            "modified": tw(last_at(c)),
            "project": "%s.%s" % (c.get("category", "none"), c.get("component", "none")),
            "tags": [c["channel"]] * ("channel" in c) + list(c.get("tags", [])),
            "status": "pending",
        }
        if c.get("severity") in TW_PRIORITY:
            t["priority"] = TW_PRIORITY[c["severity"]]
        due = due_of(c)
        if due is not None:
            t["due"] = tw(due)
        end = closed_at(c) if c.get("stage") == "closed" else None
        if end is not None:
            t["status"], t["end"] = "completed", tw(end)
        notes = [e for e in c.get("event", []) if e.get("text")]
        if notes:
            t["annotations"] = [{"entry": tw(e["at"]), "description": e["text"]} for e in notes]
        tasks.append(t)
    with open(out, "w") as fh:
        json.dump(tasks, fh)
    print("%d tasks" % len(tasks), file=sys.stderr)

def yaml_str(v):  # plain scalar when it is one, single-quoted otherwise (as Backlog.md writes)
    plain = v and v[0] not in "@'\"-#&*!|>%[]{}," and ": " not in v and " #" not in v
    return v if plain and v == v.strip() else "'%s'" % v.replace("'", "''")

def yaml_list(items):
    return "".join("\n  - " + yaml_str(i) for i in items) if items else " []"

def section(title, tag, text):
    return ("\n## %s\n\n<!-- SECTION:%s:BEGIN -->\n%s\n<!-- SECTION:%s:END -->\n"
            % (title, tag, text, tag))

def backlog():
    os.makedirs(out, exist_ok=True)
    n = 0
    for n, p in enumerate(paths(src), 1):
        with open(p, "rb") as fh:
            c = tomllib.load(fh)
        fm = ["---", "id: TASK-%d" % n, "title: " + yaml_str(c["title"]),
              "status: %s" % BL_STATUS.get(c.get("stage"), "To Do")]
        fm.append("assignee:" + yaml_list(["@" + c["assignee"]] if c.get("assignee") else []))
        fm.append("created_date: '%s'" % utc(c["opened"]).strftime("%Y-%m-%d %H:%M"))
        fm.append("updated_date: '%s'" % utc(last_at(c)).strftime("%Y-%m-%d %H:%M"))
        due = due_of(c)
        if due is not None:
            fm.append("due_date: '%s'" % utc(due).strftime("%Y-%m-%d"))
        labels = [c[k] for k in ("category", "component", "channel") if c.get(k)]
        fm.append("labels:" + yaml_list(labels + list(c.get("tags", []))))
        fm.append("dependencies: []")
        if c.get("severity") in BL_PRIORITY:
            fm.append("priority: %s" % BL_PRIORITY[c["severity"]])
        fm.append("ordinal: %d" % (n * 1000))
        fm.append("---")
        events = c.get("event", [])
        opening = next((e["text"] for e in events if e.get("kind") == "opened" and e.get("text")),
                       c["title"])
        body = section("Description", "DESCRIPTION", opening)
        notes = [e["text"] for e in events if e.get("kind") == "note" and e.get("text")]
        if notes:
            body += section("Implementation Notes", "NOTES", "\n\n".join(notes))
        action = c.get("resolution", {}).get("action")
        if c.get("stage") == "closed" and action:
            body += section("Final Summary", "FINAL_SUMMARY", action[0].upper() + action[1:] + ".")
        slug = "-".join(c["title"].split())
        with open(os.path.join(out, "task-%d - %s.md" % (n, slug)), "w") as fh:
            fh.write("\n".join(fm) + "\n" + body)
    print("%d task files" % n, file=sys.stderr)

{"taskwarrior": taskwarrior, "backlog": backlog}[mode]()
PY

# --- 2. Taskwarrior: 100,000 tasks in an isolated TASKRC/TASKDATA ----------------------------

TW=$PEERS_DIR/taskwarrior-100000
export TASKRC=$TW/taskrc TASKDATA=$TW/data
if [[ ! -e $TW.ok ]]; then
    log "converting 100000 complaints to Taskwarrior JSON"
    rm -rf "$TW" && mkdir -p "$TW/data"
    cat >"$TASKRC" <<EOF
# Isolated Taskwarrior setup for benches/peers.sh: nothing prompts, nothing extra is printed.
data.location=$TW/data
confirmation=off
verbose=nothing
hooks=off
news.version=2.6.0
EOF
    python3 "$CONVERT" taskwarrior "$G100K" "$TW/tasks.json"
    log "task import of 100000 tasks (one time; it is slow)"
    start=$SECONDS
    timeout 3600 "$TASK_BIN" import "$TW/tasks.json" </dev/null >"$TW/import.log" 2>&1 \
        || die "task import failed, see $TW/import.log"
    log "task import took $((SECONDS - start)) s"
    "$TASK_BIN" rc.gc=on count </dev/null >/dev/null # move completed tasks out of pending.data
    touch "$TW.ok"
fi
count=$("$TASK_BIN" count </dev/null)
[[ $count == 100000 ]] || die "Taskwarrior holds $count tasks, expected 100000 (rm $TW.ok to redo)"

# --- 3. Backlog.md: 10,000 tasks ------------------------------------------------------------

if [[ ! -x $BACKLOG ]]; then
    log "installing backlog.md@$BACKLOG_VERSION under $PEERS_DIR/backlog-npm"
    npm install --silent --no-audit --no-fund --prefix "$PEERS_DIR/backlog-npm" \
        "backlog.md@$BACKLOG_VERSION" >&2
fi
BL=$PEERS_DIR/backlog-10000
if [[ ! -e $BL.ok ]]; then
    log "creating a Backlog.md project with 10000 tasks"
    rm -rf "$BL" && mkdir -p "$BL"
    # Non-interactive init, filesystem only (no git, so no cross-branch task checks).
    (cd "$BL" && timeout 120 "$BACKLOG" init peers --defaults --no-git --integration-mode none \
        </dev/null >"$BL.init.log" 2>&1) || die "backlog init failed, see $BL.init.log"
    python3 "$CONVERT" backlog "$G10K" "$BL/backlog/tasks"
    touch "$BL.ok"
fi
total=$(cd "$BL" && timeout "$TIMEOUT" "$BACKLOG" overview </dev/null 2>/dev/null \
    | sed -n 's/^ *Total Tasks: *//p')
[[ $total == 10000 ]] || die "backlog overview sees '$total' tasks, expected 10000 (rm $BL.ok to redo)"

# --- 4. Measurement ---------------------------------------------------------------------------

# measure TOOL ITEMS BASELINE_KEY DIR COMMAND...: runs COMMAND in DIR once untimed, then RUNS
# times, and appends "tool, command, items, median s, peak MB, baseline key" to $RESULTS.
measure() {
    local tool=$1 items=$2 base=$3 dir=$4; shift 4
    local label=${MEASURE_LABEL:-$*} times=() peak=0 i t0 t1 rss
    log "timing $tool: $label ($items items, $RUNS runs)"
    (cd "$dir" && timeout "$TIMEOUT" "$@" </dev/null >/dev/null 2>&1) \
        || die "$tool failed: $label"
    for ((i = 0; i < RUNS; i++)); do
        t0=$(date +%s%N)
        (cd "$dir" && timeout "$TIMEOUT" /usr/bin/time -f "%M" -o "$PEERS_DIR/rss" "$@" \
            </dev/null >/dev/null 2>&1) || die "$tool failed: $label"
        t1=$(date +%s%N)
        times+=($(((t1 - t0) / 1000000)))
        rss=$(tail -n 1 "$PEERS_DIR/rss")
        ((rss > peak)) && peak=$rss
    done
    local median
    median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {
        print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) / 1000 }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$label" "$items" "$median" \
        "$(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }')" "$base" >>"$RESULTS"
}

: >"$RESULTS"
read_files() { find "$1" -name '*.toml' -print0 | xargs -0 cat >/dev/null; }
export -f read_files
for n in 100000 10000; do
    dir=$PEERS_DIR/gripe-$n
    MEASURE_LABEL="find | xargs cat (gripe's files)" \
        measure "plain read" "$n" "read-$n" "$PEERS_DIR" bash -c 'read_files "$0"' "$dir"
    measure gripe "$n" "read-$n" "$PEERS_DIR" "$GRIPE" --dir "$dir" report
    measure gripe "$n" "read-$n" "$PEERS_DIR" "$GRIPE" --dir "$dir" trends --by category
done
measure taskwarrior 100000 read-100000 "$PEERS_DIR" "$TASK_BIN" summary
measure taskwarrior 100000 read-100000 "$PEERS_DIR" "$TASK_BIN" count
measure backlog.md 10000 read-10000 "$BL" "$BACKLOG" overview
measure backlog.md 10000 read-10000 "$BL" "$BACKLOG" task list --plain

# --- 5. Table ---------------------------------------------------------------------------------

# Commands are shown with the scratch paths shortened to $PEERS_DIR and gripe's binary as gripe.
awk -F'\t' -v peers="$PEERS_DIR" -v gripe="$GRIPE" -v backlog="$BACKLOG" -v task="$TASK_BIN" '
    function swap(s, from, to,    i, r) {  # every literal "from" in s becomes "to"
        while ((i = index(s, from)) > 0) { r = r substr(s, 1, i - 1) to; s = substr(s, i + length(from)) }
        return r s
    }
    { rows[NR] = $0; if ($1 == "plain read") base[$6] = $4 }
    END {
        printf "%-12s %-52s %7s %9s %8s %8s\n", "tool", "command", "items", "median s", "peak MB", "x read"
        for (i = 1; i <= NR; i++) {
            split(rows[i], f, "\t")
            cmd = f[2]
            cmd = swap(swap(swap(swap(cmd, gripe, "gripe"), backlog, "backlog"), task, "task"), peers, "$PEERS_DIR")
            printf "%-12s %-52s %7d %9.3f %8.1f %8.1f\n", f[1], cmd, f[3], f[4], f[5], f[4] / base[f[6]]
        }
    }' "$RESULTS"
log "runs per command: $RUNS; data under $PEERS_DIR; raw results in $RESULTS"
log "load average at the end (2 cores here; above ~2 means the numbers are noisy): $(cut -d' ' -f1-3 /proc/loadavg)"
