/**
 * Text a spreadsheet would run as a formula when the file is opened — a cell beginning with = + - @,
 * or with a tab or a carriage return before one (CSV/formula injection: a supplier's list or a
 * customer's note reaching a report as `=HYPERLINK(…)`) — is written with a ' in front, which makes
 * it plain text in Excel and WPS. Numbers, dates and other values pass as they are. Every export
 * (CSV and XLSX) writes its rows through this.
 */
export function safeCell<T>(v: T): T | string {
  return typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v
}

export function safeRow<T>(row: T[]): (T | string)[] {
  return row.map(safeCell)
}

/** A CSV cell as Excel reads it: neutralised (safeCell), and quoted when it holds a comma, a quote or a line break. */
export function csvCell(v: unknown): string {
  const s = String(safeCell(v) ?? '')
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
