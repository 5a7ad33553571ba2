import { Inject, Injectable, Logger } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { UnrecoverableError } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@partnerwatch/config';
import { recordContentHash, type RowError } from '@partnerwatch/domain';
import { PrismaService, StagingRepository, type StagedRecord } from '@partnerwatch/db';
import { Queues, JobName, jobId } from '@partnerwatch/queue';
import {
  FetchError,
  SourceFormatError,
  SourceSettingsError,
  fetchExport,
  getAdapter,
  removeFetchedFile,
  type ParseItem,
} from '@partnerwatch/sources';

export type PollResult = 'disabled' | 'not-modified' | 'unchanged' | 'staged';

/** Rows that failed to parse are kept as a sample on the snapshot, not all of them. */
const ERROR_SAMPLE = 50;

/**
 * One poll of one bulk source: a conditional GET; when the export changed, stream-parse it into
 * staged rows of a new snapshot and hand the snapshot to ingest. An unchanged export costs one
 * request (304) or one download and hash, and creates no work.
 */
@Injectable()
export class PollingService {
  private readonly logger = new Logger(PollingService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly staging: StagingRepository,
    private readonly queues: Queues,
  ) {}

  async poll(sourceId: string, signal?: AbortSignal): Promise<PollResult> {
    const source = await this.prisma.source.findUnique({ where: { id: sourceId } });
    if (!source) throw new UnrecoverableError(`Source ${sourceId} does not exist`);
    if (!source.enabled) return 'disabled';

    let adapter;
    let settings: unknown;
    try {
      adapter = getAdapter(source.adapter);
      settings = adapter.parseSettings(source.settings);
    } catch (error) {
      await this.recordError(sourceId, error);
      throw new UnrecoverableError(`Source ${source.key} is misconfigured: ${errorMessage(error)}`);
    }

    let fetched;
    try {
      fetched = await fetchExport(
        { url: source.url, etag: source.etag, lastModified: source.lastModified },
        {
          timeoutMs: this.config.FETCH_TIMEOUT_MS,
          maxBytes: this.config.FETCH_MAX_BYTES,
          maxRedirects: this.config.FETCH_MAX_REDIRECTS,
          userAgent: this.config.FETCH_USER_AGENT,
          workDir: this.config.WORK_DIR,
          ...(signal ? { signal } : {}),
        },
      );
    } catch (error) {
      await this.recordError(sourceId, error);
      // 404/410/401/403, a bad URL, too many redirects, an oversized export: retrying will not help.
      if (error instanceof FetchError && error.permanent) throw new UnrecoverableError(errorMessage(error));
      throw error;
    }

    if (fetched.kind === 'not-modified') {
      await this.prisma.source.update({
        where: { id: sourceId },
        data: { lastPolledAt: new Date(), lastPollResult: 'not-modified', lastError: null },
      });
      return 'not-modified';
    }

    try {
      const latest = await this.prisma.snapshot.findFirst({ where: { sourceId }, orderBy: { fetchedAt: 'desc' } });
      if (latest && latest.contentHash === fetched.sha256 && latest.status !== 'staging') {
        // Same bytes as last time: nothing to parse. A staged snapshot may have lost its ingest
        // job (Redis restarted); re-adding it is a no-op when it is still queued.
        if (latest.status === 'staged') await this.enqueueIngest(latest.id);
        await this.prisma.source.update({
          where: { id: sourceId },
          data: {
            etag: fetched.etag ?? null,
            lastModified: fetched.lastModified ?? null,
            lastPolledAt: new Date(),
            lastPollResult: 'unchanged',
            ...(latest.status === 'failed' ? {} : { lastError: null }),
          },
        });
        return 'unchanged';
      }

      // Resume a snapshot a crashed poll left half-staged rather than start a second one.
      const snapshot =
        latest && latest.contentHash === fetched.sha256
          ? latest
          : await this.prisma.snapshot.create({
              data: {
                sourceId,
                contentHash: fetched.sha256,
                sizeBytes: BigInt(fetched.sizeBytes),
                fetchedAt: fetched.fetchedAt,
                etag: fetched.etag ?? null,
                lastModified: fetched.lastModified ?? null,
                status: 'staging',
              },
            });

      const errors: RowError[] = [];
      let errorCount = 0;
      async function* records(items: AsyncIterable<ParseItem>): AsyncGenerator<StagedRecord> {
        for await (const item of items) {
          if ('error' in item) {
            errorCount++;
            if (errors.length < ERROR_SAMPLE) errors.push(item.error);
            continue;
          }
          yield { key: item.record.key, contentHash: recordContentHash(item.record), record: item.record };
        }
      }

      let rowCount: number;
      try {
        const abort = signal ?? new AbortController().signal;
        const items = adapter.parse(createReadStream(fetched.path), { settings, signal: abort });
        rowCount = await this.staging.stage(snapshot.id, records(items));
      } catch (error) {
        if (error instanceof SourceFormatError || error instanceof SourceSettingsError) {
          await this.staging.discard(snapshot.id);
          await this.prisma.snapshot.update({
            where: { id: snapshot.id },
            data: { status: 'failed', statusReason: errorMessage(error), errorCount, errors: errors as object[] },
          });
          await this.recordError(sourceId, error);
          throw new UnrecoverableError(`Export of ${source.key} cannot be read: ${errorMessage(error)}`);
        }
        throw error;
      }

      await this.prisma.snapshot.update({
        where: { id: snapshot.id },
        data: { status: 'staged', rowCount, errorCount, errors: errors as object[] },
      });
      await this.prisma.source.update({
        where: { id: sourceId },
        data: {
          etag: fetched.etag ?? null,
          lastModified: fetched.lastModified ?? null,
          lastPolledAt: new Date(),
          lastPollResult: 'changed',
          lastError: null,
        },
      });
      this.logger.log(`${source.key}: staged snapshot ${snapshot.id} (${rowCount} rows, ${errorCount} unreadable)`);
      await this.enqueueIngest(snapshot.id);
      return 'staged';
    } finally {
      await removeFetchedFile(fetched.path);
    }
  }

  private async enqueueIngest(snapshotId: string): Promise<void> {
    await this.queues.ingest.add(JobName.ingest, { snapshotId }, { jobId: jobId.ingest(snapshotId) });
  }

  private async recordError(sourceId: string, error: unknown): Promise<void> {
    await this.prisma.source.update({
      where: { id: sourceId },
      data: {
        lastError: errorMessage(error),
        lastErrorAt: new Date(),
        lastPolledAt: new Date(),
        lastPollResult: 'error',
      },
    });
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
