#!/usr/bin/env bash
# Re-renders docs/errors-xlsx-*.png from the README's sample month, as Excel-like pages:
# the run's errors.xlsx → PDF by LibreOffice (A4 landscape, as the workbook's print setup
# says) → PNG by pdftoppm → trimmed by ImageMagick. Needs: libreoffice-calc(-nogui),
# poppler-utils, imagemagick (Debian packages). Not part of CI: the pictures are docs.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo run --quiet -- run samples/2025-08_增减员.xlsx samples/2025-08_分公司.csv \
  --roster samples/roster.csv --region beijing --period 2025-08 --as-of 2025-08-20 \
  --employer 91110000600037341L --out "$work/out" >/dev/null 2>&1 || [ $? -eq 1 ]
soffice --headless --convert-to pdf --outdir "$work" "$work/out/errors.xlsx" >/dev/null 2>&1
pdftoppm -r 240 -png "$work/errors.pdf" "$work/page"
# Page 1 is 汇总; page 2 the first input sheet with row findings (2025-08_增减员-增员).
convert "$work/page-1.png" -trim +repage -bordercolor white -border 12 docs/errors-xlsx-summary.png
convert "$work/page-2.png" -trim +repage -bordercolor white -border 12 docs/errors-xlsx-sheet.png
echo "wrote docs/errors-xlsx-summary.png docs/errors-xlsx-sheet.png"
