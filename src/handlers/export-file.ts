/** An export as a CSV file: a header row, then the rows; cells that a spreadsheet would run as a formula are escaped. */
import { stringify } from 'csv-stringify/sync';
import type { ExportTable } from '../domain/index.js';

export function csvOf(table: ExportTable): string {
  // a leading BOM lets spreadsheet programs read the UTF-8 names correctly
  return `\uFEFF${stringify([table.columns, ...table.rows.map((r) => r.map((c) => (c === null ? '' : c)))], { escape_formulas: true, record_delimiter: 'windows' })}`;
}
