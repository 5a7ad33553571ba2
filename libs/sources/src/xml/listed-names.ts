import type { EntityName } from '@partnerwatch/domain';
import { collapseWhitespace } from './xml-node';

const HAN = /\p{Script=Han}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HANGUL = /\p{Script=Hangul}/u;

/**
 * A language hint where the script alone tells it well enough for screening, which compares CJK
 * names without transliteration. Kana and Hangul decide first: Japanese and Korean names may hold
 * Han characters too. Latin transliterations get no hint: they are not English.
 */
export function nameLanguageHint(name: string): string | undefined {
  if (KANA.test(name)) return 'ja';
  if (HANGUL.test(name)) return 'ko';
  if (HAN.test(name)) return 'zh';
  return undefined;
}

/** The names of one record: one primary (the first added as such), aliases without duplicates. */
export class NameList {
  private primary: EntityName | undefined;
  private readonly aliases: EntityName[] = [];
  private readonly seen = new Set<string>();

  /** Adds a name (whitespace cleaned); a second primary name is kept as an alias. */
  add(raw: string | undefined, kind: EntityName['kind'], lang?: string): void {
    const value = collapseWhitespace(raw);
    if (value === undefined || this.seen.has(value)) return;
    this.seen.add(value);
    const hint = lang ?? nameLanguageHint(value);
    const name: EntityName = hint ? { value, lang: hint, kind } : { value, kind };
    if (kind === 'primary' && !this.primary) this.primary = name;
    else this.aliases.push({ ...name, kind: 'alias' });
  }

  get size(): number {
    return this.seen.size;
  }

  /**
   * Primary first. Without a primary name the first alias is promoted, so every record has one.
   * `sortAliases`: for registries whose alias order changes between exports without meaning.
   */
  toArray(options: { sortAliases?: boolean } = {}): EntityName[] {
    const aliases = options.sortAliases
      ? [...this.aliases].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
      : [...this.aliases];
    if (this.primary) return [this.primary, ...aliases];
    const [first, ...rest] = aliases;
    return first ? [{ ...first, kind: 'primary' }, ...rest] : [];
  }
}
