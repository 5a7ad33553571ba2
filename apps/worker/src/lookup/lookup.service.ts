import { Inject, Injectable, Logger } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { UnrecoverableError } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@partnerwatch/config';
import { PrismaService, type Source } from '@partnerwatch/db';
import { JobName, Queues, jobId } from '@partnerwatch/queue';
import { FetchError, fetchExport, getAdapter, removeFetchedFile, staticParseContext } from '@partnerwatch/sources';
import { SnapshotStager, UnreadableExportError } from '../polling/snapshot-stager.service';
import { errorMessage } from '../polling/polling.service';

/** Where a lookup source's URL takes the company's code. */
export const USCC_PLACEHOLDER = '{uscc}';

/** BullMQ priorities: lower runs first. Critical partners are looked up first in every sweep. */
const PRIORITY = { critical: 1, high: 2, medium: 3, low: 4 } as const;

export type LookupResult = 'unchanged' | 'staged';

/**
 * Per-company lookup sources, for registries with no bulk export (gsxt, Credit China, court
 * defaulters, and the data services that front them): each poll sweeps the watched suppliers and
 * queues one lookup per USCC; each lookup's response is that company's record on the source,
 * staged as a snapshot scoped to the USCC and diffed only against what earlier lookups of it
 * found, so a record that silently disappears (after credit repair) counts as removed.
 */
@Injectable()
export class LookupService {
  private readonly logger = new Logger(LookupService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly queues: Queues,
    private readonly stager: SnapshotStager,
  ) {}

  /** Queue a lookup of every watched company with a USCC, most critical first. */
  async sweep(source: Source): Promise<{ queued: number }> {
    const suppliers = await this.prisma.supplier.findMany({
      where: {
        uscc: { not: null },
        ...(source.organizationId ? { organizationId: source.organizationId } : {}),
      },
      select: { uscc: true, criticality: true },
    });
    // One lookup per company, however many organizations watch it, at its most critical.
    const byUscc = new Map<string, number>();
    for (const s of suppliers) {
      const priority = PRIORITY[s.criticality];
      byUscc.set(s.uscc!, Math.min(byUscc.get(s.uscc!) ?? priority, priority));
    }
    await this.queues.lookup.addBulk(
      [...byUscc].map(([uscc, priority]) => ({
        name: JobName.lookup,
        data: { sourceId: source.id, uscc },
        // A lookup still waiting from the last sweep is not queued twice.
        opts: { jobId: jobId.lookup(source.id, uscc), priority },
      })),
    );
    await this.prisma.source.update({
      where: { id: source.id },
      data: { lastPolledAt: new Date(), lastPollResult: `queued ${byUscc.size} lookups`, lastError: null },
    });
    return { queued: byUscc.size };
  }

  async lookup(
    sourceId: string,
    uscc: string,
    signal: AbortSignal = new AbortController().signal,
  ): Promise<LookupResult> {
    const source = await this.prisma.source.findUnique({ where: { id: sourceId } });
    if (!source) throw new UnrecoverableError(`Source ${sourceId} does not exist`);
    let settings: unknown;
    const adapter = getAdapter(source.adapter);
    try {
      settings = adapter.parseSettings(source.settings);
    } catch (error) {
      throw new UnrecoverableError(`Source ${source.key} is misconfigured: ${errorMessage(error)}`);
    }
    const url = source.url.split(USCC_PLACEHOLDER).join(encodeURIComponent(uscc));
    let fetched;
    try {
      fetched = await fetchExport(
        { url },
        {
          timeoutMs: this.config.FETCH_TIMEOUT_MS,
          maxBytes: this.config.FETCH_MAX_BYTES,
          maxRedirects: this.config.FETCH_MAX_REDIRECTS,
          userAgent: this.config.FETCH_USER_AGENT,
          workDir: this.config.WORK_DIR,
          signal,
        },
      );
    } catch (error) {
      await this.recordError(sourceId, `lookup of ${uscc}: ${errorMessage(error)}`);
      if (error instanceof FetchError && error.permanent) throw new UnrecoverableError(errorMessage(error));
      throw error;
    }
    if (fetched.kind !== 'fetched') return 'unchanged';

    try {
      const path = fetched.path;
      const outcome = await this.stager.stage({
        sourceId,
        scope: uscc,
        contentHash: fetched.sha256,
        sizeBytes: fetched.sizeBytes,
        fetchedAt: fetched.fetchedAt,
        etag: null,
        lastModified: null,
        mode: 'full',
        cursor: null,
        parse: () =>
          adapter.parse(
            createReadStream(path),
            staticParseContext(settings, { main: () => createReadStream(path) }, signal),
          ),
      });
      if (outcome.result === 'unchanged') return 'unchanged';
      this.logger.log(`${source.key}: lookup of ${uscc} changed (${outcome.rowCount} records)`);
      return 'staged';
    } catch (error) {
      if (error instanceof UnreadableExportError) {
        await this.recordError(sourceId, `lookup of ${uscc}: ${error.message}`);
        throw new UnrecoverableError(`Lookup of ${uscc} on ${source.key} cannot be read: ${error.message}`);
      }
      throw error;
    } finally {
      await removeFetchedFile(fetched.path);
    }
  }

  private async recordError(sourceId: string, message: string): Promise<void> {
    await this.prisma.source.update({ where: { id: sourceId }, data: { lastError: message, lastErrorAt: new Date() } });
  }
}

/** A lookup source's URL must say where the company's code goes. */
export function lookupUrlProblem(url: string): string | undefined {
  return url.includes(USCC_PLACEHOLDER) ? undefined : `a lookup source's url must contain ${USCC_PLACEHOLDER}`;
}
