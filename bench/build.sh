#!/usr/bin/env bash
# Build-speed benchmark: spiegel against Hugo on the same generated content.
#
#   bench/build.sh                 # 1,000, 10,000 and 50,000 entries
#   SIZES="10000" RUNS=5 bench/build.sh
#
# For each size it generates a deterministic site (spiegel generate, seed 1), builds it
# RUNS times from scratch with spiegel and with Hugo (Debian's package, installed if
# missing, with minimal equivalent templates), and prints the median wall time, pages per
# second, processor time (user + system: steadier than wall time on a shared machine),
# peak memory, spiegel's stage timings and the ratios. Sites are kept in
# $BENCH_DIR (default /tmp/spiegel-bench) between runs.
#
# Each pair of builds runs twice: output on the disk ($BENCH_DIR) and output in memory
# ($MEM_DIR, default /dev/shm, a tmpfs). On a shared virtual disk the time to create
# files varies several-fold from one minute to the next; in memory the builds compare
# the tools' own work. MEM_DIR= (empty) measures the disk only.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES="${SIZES:-1000 10000 50000}"
RUNS="${RUNS:-3}"
BENCH_DIR="${BENCH_DIR:-/tmp/spiegel-bench}"
MEM_DIR="${MEM_DIR-/dev/shm}"
mkdir -p "$BENCH_DIR"
[ -z "$MEM_DIR" ] || [ -d "$MEM_DIR" ] || { echo "no folder $MEM_DIR: set MEM_DIR= to measure the disk only" >&2; exit 1; }

cargo build --release --quiet
SPIEGEL="$PWD/target/release/spiegel"

if ! command -v hugo >/dev/null 2>&1; then
  echo "installing Debian's hugo package..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Runs "$@" RUNS times after clearing $OUT; prints "median_seconds median_peak_kib
# median_cpu_seconds".
measure() {
  local out="$1"; shift
  local times=() mems=() cpus=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$out"
    # Flush what the previous run wrote, so no tool pays for another's disk writes.
    sync
    local line
    /usr/bin/time -o "$BENCH_DIR/time.txt" -f "%e %M %U %S" "$@" >/dev/null 2>&1
    read -r wall peak user system < <(tail -n 1 "$BENCH_DIR/time.txt")
    times+=("$wall"); mems+=("$peak"); cpus+=("$(echo "$user + $system" | bc -l)")
  done
  echo "$(printf '%s\n' "${times[@]}" | median) $(printf '%s\n' "${mems[@]}" | median) $(printf '%s\n' "${cpus[@]}" | median)"
}

hugo_site() {
  local site="$1" dir="$2"
  mkdir -p "$dir/layouts/_default"
  cat > "$dir/hugo.toml" <<TOML
baseURL = "http://example.org/"
title = "bench"
contentDir = "$site/content"
relativeURLs = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = false
TOML
  cat > "$dir/layouts/_default/baseof.html" <<'HTML'
<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
HTML
  cat > "$dir/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1>{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}{{ .Content }}{{ end }}
HTML
  cat > "$dir/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ul>{{ end }}
HTML
  cp "$dir/layouts/_default/list.html" "$dir/layouts/index.html"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
printf '%-8s %-8s %-7s %10s %10s %9s %12s %10s\n' entries tool output "wall (s)" "pages/s" "cpu (s)" "peak (MiB)" "content"
for n in $SIZES; do
  site="$BENCH_DIR/site-$n"
  [ -f "$site/site.yaml" ] || "$SPIEGEL" generate "$site" --pages "$n" --seed 1 >/dev/null
  pages=$(find "$site/content" -name '*.md' | wc -l)
  content_mib=$(du -s --apparent-size -B1 "$site/content" | awk '{printf "%.1f", $1/1048576}')

  hugo_dir="$BENCH_DIR/hugo-$n"
  hugo_site "$site" "$hugo_dir"
  for where in "$BENCH_DIR" $MEM_DIR; do
    label=disk; [ "$where" = "$BENCH_DIR" ] || label=memory
    out="$where/spiegel-bench-out"
    read -r s_time s_mem s_cpu < <(measure "$out-spiegel-$n" "$SPIEGEL" build --root "$site" --output "$out-spiegel-$n")
    printf '%-8s %-8s %-7s %10s %10.0f %9.2f %12.0f %8s MiB (peak %.1fx content)\n' "$n" spiegel "$label" "$s_time" "$(echo "$pages / $s_time" | bc -l)" "$s_cpu" "$(echo "$s_mem / 1024" | bc -l)" "$content_mib" "$(echo "$s_mem / 1024 / $content_mib" | bc -l)"
    read -r h_time h_mem h_cpu < <(measure "$out-hugo-$n" hugo --quiet --source "$hugo_dir" --destination "$out-hugo-$n")
    printf '%-8s %-8s %-7s %10s %10.0f %9.2f %12.0f\n' "$n" hugo "$label" "$h_time" "$(echo "$pages / $h_time" | bc -l)" "$h_cpu" "$(echo "$h_mem / 1024" | bc -l)"
    printf '%-8s %-8s %-7s %10s\n' "$n" "ratio" "$label" "hugo/spiegel = $(echo "scale=2; $h_time / $s_time" | bc -l)x wall, $(echo "scale=2; $h_cpu / $s_cpu" | bc -l)x cpu"
    rm -rf "$out-spiegel-$n" "$out-hugo-$n"
  done

  echo "  spiegel stages (one more run):"
  stages_out="${MEM_DIR:-$BENCH_DIR}/spiegel-bench-out-stages"
  rm -rf "$stages_out"; sync
  "$SPIEGEL" build --root "$site" --output "$stages_out" --timings | sed -n '3,$p'
  rm -rf "$stages_out"
  echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
done
