#!/usr/bin/env bash
# Set up .venv and run the main job: a virtual in vivo study of RBC-membrane Fe3O4
# nanoclusters made by co-extrusion vs microfluidic electroporation with 808-nm photothermal
# therapy (5 groups x 5 mice, 3 weeks), stored in DuckDB with a self-contained HTML report,
# plus the design-and-manufacture comparison of the two particles.
source "$(dirname "$0")/_venv.sh" ""
set -euo pipefail
mkdir -p out
.venv/bin/nanocloak study run examples/studies/rbc_mns_ptt.toml --out out/study
.venv/bin/nanocloak study compare out/study --report out/study/comparison.md > /dev/null
.venv/bin/nanocloak design examples/designs/rbc_mnc_extrusion.toml \
  examples/designs/rbc_mnc_electroporation.toml --report out/design-report.md > /dev/null
echo "Report: out/study/report.html   Store: out/study/study.duckdb (+ parquet/)"
echo "Statistics: out/study/comparison.md   Design and manufacture: out/design-report.md"
