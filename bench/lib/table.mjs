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
    if (result.method) lines.push(`   method: ${result.method}`);
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
    for (const table of result.tables ?? []) {
      const tableWidths = table.columns.map((column, i) =>
        Math.max(column.length, ...table.rows.map((cells) => String(cells[i]).length)),
      );
      lines.push("", `   ${table.title}`, `   ${pad(table.columns, tableWidths)}`);
      lines.push(...table.rows.map((cells) => `   ${pad(cells, tableWidths)}`));
    }
  }
  return lines.join("\n");
}

const GOAL_NAMES = {
  1: "widget reads <= 1.2x /health",
  2: "app API reads <= 1.5x /health",
  3: "/v1/oauth/start @c10 <= 2x /health",
  4: "connect button as published <= 4096 B gzip",
  5: "relay upload <= 40 KiB gzip",
  6: "connect flow relay time net of transport <= 15 ms",
  7: "refresh fan-out at N = 10M, bounded work per invocation",
};

/** One line per issue 17 goal row: measured value, spread, met or missed. */
export function renderGoals(results) {
  const rows = results
    .flatMap((result) => result.rows ?? [])
    .filter((row) => row.issueGoal !== undefined)
    .sort((a, b) => a.issueGoal - b.issueGoal);
  const missing = Object.keys(GOAL_NAMES)
    .map(Number)
    .filter((goal) => !rows.some((row) => row.issueGoal === goal));
  const body = rows.map((row) => {
    const met = row.budget !== undefined ? row.pass : row.met;
    const measured = row.value === 0 && row.unit === "B" ? "not measured" : formatValue(row);
    const ratio = row.unit === "ms" && row.goal !== undefined ? ` (${row.ratio.toFixed(2)}x)` : "";
    return [
      `goal ${row.issueGoal}`,
      row.subject,
      `${measured}${ratio}`,
      row.spread ?? "deterministic",
      measured === "not measured" ? "NOT MEASURED" : met ? "met" : "MISSED",
    ];
  });
  const header = ["goal", "subject", "value", "spread", "verdict"];
  const widths = header.map((_, i) =>
    Math.max(header[i].length, ...body.map((cells) => String(cells[i]).length)),
  );
  const lines = [
    "",
    "== issue 17 goals ==",
    `   ${pad(header, widths)}`,
    ...body.map((cells) => `   ${pad(cells, widths)}`),
  ];
  for (const goal of missing)
    lines.push(`   goal ${goal}  ${GOAL_NAMES[goal]}: not run (part skipped or failed)`);
  for (const result of results) if (result.method) lines.push(`   ${result.part} method: ${result.method}`);
  return lines.join("\n");
}
