#!/usr/bin/env bash
# Set up .venv and run the main job: design and manufacture of the RBC-membrane Fe3O4
# nanocluster twins (co-extrusion vs microfluidic electroporation), reported to out/.
source "$(dirname "$0")/_venv.sh" ""
mkdir -p out
.venv/bin/nanocloak design examples/designs/rbc_mnc_extrusion.toml \
  examples/designs/rbc_mnc_electroporation.toml --report out/design-report.md
.venv/bin/nanocloak design examples/designs/rbc_mnc_extrusion.toml \
  examples/designs/rbc_mnc_electroporation.toml --json > out/design.json
echo "Report: out/design-report.md   Machine-readable: out/design.json"
