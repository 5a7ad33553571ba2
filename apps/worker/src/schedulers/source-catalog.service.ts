import { readFileSync } from 'node:fs';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@partnerwatch/config';
import {
  DEFAULT_QUARANTINE_THRESHOLDS,
  isListKind,
  parseQuarantineThresholds,
  type ListKind,
} from '@partnerwatch/domain';
import { PrismaService } from '@partnerwatch/db';
import { SOURCE_CATALOG, getAdapter } from '@partnerwatch/sources';

/** One public source as the deployment wants it: a catalog entry with overrides, or a new definition. */
interface SourceDefinition {
  key: string;
  name: string;
  adapter: string;
  listKind: ListKind;
  url: string | null;
  settings: Record<string, unknown>;
  intervalSeconds: number;
  enabled: boolean;
  guard: Record<string, unknown>;
}

const FILE_KEYS = ['key', 'name', 'adapter', 'listKind', 'url', 'settings', 'intervalSeconds', 'enabled', 'guard'];

export class SourceDefinitionError extends Error {
  override readonly name = 'SourceDefinitionError';
}

/**
 * Creates and updates the public sources at worker start: the built-in catalog with its official
 * download locations, overridden or extended by SOURCES_FILE, switched on by SOURCES_ENABLED.
 * A bad definition stops the worker with a message naming the source and the field, rather than
 * polling something half-configured.
 */
@Injectable()
export class SourceCatalogService {
  private readonly logger = new Logger(SourceCatalogService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
  ) {}

  async sync(): Promise<{ sources: number; enabled: number }> {
    const definitions = this.definitions();
    for (const d of definitions) {
      const existing = await this.prisma.source.findUnique({ where: { key: d.key } });
      if (existing?.organizationId) {
        throw new SourceDefinitionError(`source "${d.key}" already exists as an organization's own source`);
      }
      const data = {
        name: d.name,
        adapter: d.adapter,
        listKind: d.listKind,
        url: d.url ?? '',
        settings: d.settings as object,
        intervalSeconds: d.intervalSeconds,
        enabled: d.enabled,
        guard: d.guard as object,
      };
      if (!existing) await this.prisma.source.create({ data: { key: d.key, ...data } });
      else {
        // A new location or format: the stored HTTP validators and cursor describe the old one.
        const moved = existing.url !== data.url || JSON.stringify(existing.settings) !== JSON.stringify(data.settings);
        await this.prisma.source.update({
          where: { id: existing.id },
          data: { ...data, ...(moved ? { etag: null, lastModified: null, cursor: null } : {}) },
        });
      }
    }
    const enabled = definitions.filter((d) => d.enabled).length;
    this.logger.log(`public sources: ${definitions.length} defined, ${enabled} enabled`);
    return { sources: definitions.length, enabled };
  }

  /** The catalog, overlaid with SOURCES_FILE, with SOURCES_ENABLED applied; validated. */
  definitions(): SourceDefinition[] {
    const enabledKeys = new Set(
      this.config.SOURCES_ENABLED.split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    );
    const byKey = new Map<string, SourceDefinition>(
      SOURCE_CATALOG.map((c) => [c.key, { ...c, settings: { ...c.settings }, enabled: false, guard: {} }]),
    );
    for (const entry of this.fileEntries()) {
      const key = entry.key as string;
      const base = byKey.get(key);
      const problems: string[] = [];
      for (const field of Object.keys(entry))
        if (!FILE_KEYS.includes(field)) problems.push(`${field} is not a known field (${FILE_KEYS.join(', ')})`);
      if (!base)
        for (const field of ['name', 'adapter', 'listKind', 'url'])
          if (entry[field] === undefined) problems.push(`${field} is required for a source not in the catalog`);
      if (problems.length) throw new SourceDefinitionError(`SOURCES_FILE, source "${key}": ${problems.join('; ')}`);
      byKey.set(key, {
        key,
        name: (entry.name as string | undefined) ?? base!.name,
        adapter: (entry.adapter as string | undefined) ?? base!.adapter,
        listKind: (entry.listKind as ListKind | undefined) ?? base!.listKind,
        url: (entry.url as string | undefined) ?? base?.url ?? null,
        settings: (entry.settings as Record<string, unknown> | undefined) ?? base?.settings ?? {},
        intervalSeconds: (entry.intervalSeconds as number | undefined) ?? base?.intervalSeconds ?? 3600,
        enabled: entry.enabled === true,
        guard: (entry.guard as Record<string, unknown> | undefined) ?? {},
      });
    }
    for (const key of enabledKeys) {
      const d = byKey.get(key);
      if (!d)
        throw new SourceDefinitionError(
          `SOURCES_ENABLED names "${key}", which is neither in the catalog nor in SOURCES_FILE`,
        );
      d.enabled = true;
    }
    for (const d of byKey.values()) this.validate(d);
    return [...byKey.values()];
  }

  private validate(d: SourceDefinition): void {
    const problems: string[] = [];
    try {
      getAdapter(d.adapter).parseSettings(d.settings);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
    if (!isListKind(d.listKind)) problems.push(`listKind "${String(d.listKind)}" is not a list kind`);
    if (d.url !== null && !/^https?:\/\/\S+$/i.test(d.url)) problems.push(`url "${d.url}" is not an http or https URL`);
    if (d.enabled && !d.url)
      problems.push('it is enabled but has no url: this list is published per deployment, set its url in SOURCES_FILE');
    if (!Number.isInteger(d.intervalSeconds) || d.intervalSeconds < this.config.MIN_POLL_INTERVAL_SECONDS) {
      problems.push(`intervalSeconds must be a whole number of at least ${this.config.MIN_POLL_INTERVAL_SECONDS}`);
    }
    problems.push(...parseQuarantineThresholds(d.guard, DEFAULT_QUARANTINE_THRESHOLDS).problems);
    if (problems.length) throw new SourceDefinitionError(`source "${d.key}": ${problems.join('; ')}`);
  }

  private fileEntries(): Record<string, unknown>[] {
    const file = this.config.SOURCES_FILE;
    if (!file) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new SourceDefinitionError(`SOURCES_FILE ${file} cannot be read as JSON: ${(error as Error).message}`);
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { sources?: unknown })?.sources;
    if (!Array.isArray(list))
      throw new SourceDefinitionError(`SOURCES_FILE ${file} must be a JSON array of sources (or { "sources": [...] })`);
    return list.map((entry, i) => {
      if (typeof entry !== 'object' || entry === null || typeof (entry as { key?: unknown }).key !== 'string') {
        throw new SourceDefinitionError(`SOURCES_FILE ${file}: entry ${i + 1} must be an object with a "key"`);
      }
      return entry as Record<string, unknown>;
    });
  }
}
