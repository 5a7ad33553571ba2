import { SourceSettingsError } from '../source-adapter';
import { isSupportedXmlEncoding } from './xml-encoding';

/** Settings every XML source shares. */
export interface XmlSourceSettings {
  /**
   * 'auto' (the default): the byte order mark, else the XML declaration, else UTF-8. Any other
   * label overrides a wrong declaration; a byte order mark still wins.
   */
  encoding: string;
}

const KNOWN_KEYS = ['encoding'] as const;

/** Validate `{ encoding? }`; unknown keys are rejected so a typo fails loudly. */
export function parseXmlSourceSettings(settings: unknown, adapterId: string): XmlSourceSettings {
  if (settings === undefined || settings === null) return { encoding: 'auto' };
  if (typeof settings !== 'object' || Array.isArray(settings)) {
    throw new SourceSettingsError(`${adapterId} settings must be a JSON object`);
  }
  const fields = settings as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
      throw new SourceSettingsError(
        `${adapterId} settings: unknown field "${key}" (known fields: ${KNOWN_KEYS.join(', ')})`,
      );
    }
  }
  const encoding = fields.encoding;
  if (encoding === undefined || encoding === null) return { encoding: 'auto' };
  if (typeof encoding !== 'string' || !isSupportedXmlEncoding(encoding)) {
    throw new SourceSettingsError(
      `${adapterId} settings: "encoding" must be "auto" or an encoding label such as "utf-8", "iso-8859-1", ` +
        `"windows-1252", "utf-16"; got ${JSON.stringify(encoding)}`,
    );
  }
  return { encoding: encoding.trim().toLowerCase() };
}
