/**
 * Unified Social Credit Code (GB 32100-2015): 18 characters from an alphabet without I, O, S, V, Z.
 * Position 18 is a check character over positions 1..17.
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/** Upper-case, trim and drop the spaces and dashes people type into codes; no validation. */
export function normalizeUscc(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\s\-－]/g, '')
    .toUpperCase();
}

/** The check character for the first 17 characters, or undefined if they are not in the alphabet. */
export function usccCheckCharacter(first17: string): string | undefined {
  if (first17.length !== 17) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) return undefined;
    sum += value * USCC_WEIGHTS[i]!;
  }
  const check = (31 - (sum % 31)) % 31;
  return USCC_ALPHABET.charAt(check);
}

export type UsccValidation =
  | { ok: true; code: string }
  | { ok: false; code: string; problem: 'shape' | 'check'; message: string; expectedCheck?: string };

/**
 * Validate a code. A failed check character is reported, not hidden: some real early codes fail
 * it, so callers treat `problem: 'check'` as a warning and `problem: 'shape'` as an error.
 */
export function validateUscc(raw: string): UsccValidation {
  const code = normalizeUscc(raw);
  if (!USCC_SHAPE.test(code)) {
    return {
      ok: false,
      code,
      problem: 'shape',
      message: `"${raw}" is not a Unified Social Credit Code: expected 18 characters from ${USCC_ALPHABET}`,
    };
  }
  const expected = usccCheckCharacter(code.slice(0, 17));
  if (expected !== code.charAt(17)) {
    return {
      ok: false,
      code,
      problem: 'check',
      message: `USCC ${code} fails its GB 32100 check character (expected ${expected ?? '?'})`,
      ...(expected ? { expectedCheck: expected } : {}),
    };
  }
  return { ok: true, code };
}

/** True when the string has the shape of a USCC (check character not verified). */
export function looksLikeUscc(raw: string): boolean {
  return USCC_SHAPE.test(normalizeUscc(raw));
}
