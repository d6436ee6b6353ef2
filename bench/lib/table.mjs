// Plain-text table of every part's rows, one block per part with its baseline named above it.

const formatValue = (row) => `${Number.isInteger(row.value) ? row.value : row.value.toFixed(2)} ${row.unit}`;

function verdict(row) {
  if (row.budget !== undefined) return `${row.pass ? "ok" : "OVER"} (budget ${row.budget} ${row.unit})`;
  if (row.goalMs !== undefined) return `${row.met ? "met" : "missed"} (goal <= ${row.goalMs} ms)`;
  if (typeof row.goal === "string") return `${row.met ? "met" : "missed"} (${row.goal})`;
  if (row.goal !== undefined) return `${row.met ? "met" : "missed"} (goal <= ${row.goal}x)`;
  return "";
}

function pad(cells, widths) {
  return cells
    .map((cell, i) => String(cell).padEnd(widths[i]))
    .join("  ")
    .trimEnd();
}

/** Renders part results (or their errors) as text. */
export function renderTable(results) {
  const header = ["subject", "metric", "value", "ratio", "check", "notes"];
  const lines = [];
  for (const result of results) {
    lines.push("", `== ${result.part} ==`);
    if (result.error) {
      lines.push(`   ERROR: ${result.error}`);
      continue;
    }
    lines.push(`   baseline: ${result.baseline}`);
    const body = result.rows.map((row) => [
      row.subject,
      row.metric,
      formatValue(row),
      `${row.ratio.toFixed(2)}x`,
      verdict(row),
      row.extra ?? "",
    ]);
    const widths = header.map((_, i) =>
      Math.max(header[i].length, ...body.map((cells) => String(cells[i]).length)),
    );
    lines.push(`   ${pad(header, widths)}`, ...body.map((cells) => `   ${pad(cells, widths)}`));
  }
  return lines.join("\n");
}
