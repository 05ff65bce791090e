/**
 * CSV as RFC 4180 writes it, safe to open in a spreadsheet. Text from the platforms (names,
 * notes, handles) is the customer's: a cell that starts with = + - @ (or a tab or carriage
 * return) would run as a formula in Excel, LibreOffice or Sheets, so such text cells get a
 * leading apostrophe, which spreadsheets show as plain text. Numbers are the desk's own and
 * written as they are (a negative sentiment stays a number).
 */
export type CsvCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Header and rows, CRLF between records (RFC 4180), and a final CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
