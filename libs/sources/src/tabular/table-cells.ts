/** Header and row helpers the table readers (CSV, XLSX, the custom and credit-list readers) share. */

/** Header names as people mean them: full-width forms folded, invisible marks and padding dropped. */
export function normalizeHeaderName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\uFEFF\u200B-\u200D]/g, '')
    .trim();
}

/** Header names trimmed, NFKC-normalised and made unique, the way the CSV reader makes them. */
export function uniqueHeader(cells: readonly string[]): string[] {
  return numberRepeats(cells.map((cell, index) => normalizeHeaderName(cell) || `column ${index + 1}`));
}

/** Header names as the XLSX table reader makes them: cleaned, runs of spaces as one, unique. */
export function uniqueSheetHeader(cells: readonly string[]): string[] {
  return numberRepeats(
    cells.map((cell, index) => normalizeHeaderName(cell).replace(/\s+/g, ' ') || `column ${index + 1}`),
  );
}

/** A name that repeats an earlier one gets its occurrence: "Name", "Name (2)". */
function numberRepeats(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name} (${count})`;
  });
}

/** The row keyed by header, cells trimmed; a cell beyond the header is named by its position. */
export function rowValues(header: readonly string[], cells: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (let i = 0; i < cells.length; i++) values[header[i] ?? `column ${i + 1}`] = (cells[i] ?? '').trim();
  return values;
}

/** Whether a row has nothing but white space in it. */
export function isBlankRow(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.trim().length > 0) return false;
  return true;
}
