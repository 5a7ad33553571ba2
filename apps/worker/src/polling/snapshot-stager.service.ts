import { Injectable } from '@nestjs/common';
import type { SnapshotMode, SnapshotStatus } from '@partnerwatch/db';
import { PrismaService, StagingRepository } from '@partnerwatch/db';
import { JobName, Queues, jobId } from '@partnerwatch/queue';
import { SourceFormatError, SourceSettingsError, type ParseItem } from '@partnerwatch/sources';
import { ParseTally } from './parse-tally';

export interface FetchedContent {
  sourceId: string;
  /** Lookup sources: the USCC looked up; null for a bulk export. */
  scope: string | null;
  contentHash: string;
  sizeBytes: number;
  fetchedAt: Date;
  etag: string | null;
  lastModified: string | null;
  mode: SnapshotMode;
  cursor: string | null;
  /** Starts the adapter's parse of the fetched files. */
  parse: () => AsyncIterable<ParseItem>;
}

export type StageOutcome =
  | { result: 'unchanged'; previousStatus: SnapshotStatus }
  | { result: 'staged'; snapshotId: string; rowCount: number; errorCount: number };

/** The export (or lookup answer) cannot be read at all; the snapshot is marked failed. */
export class UnreadableExportError extends Error {
  override readonly name = 'UnreadableExportError';
}

/**
 * What every fetch path (a bulk poll, a per-company lookup) does with content it downloaded:
 * the same bytes as the latest snapshot create nothing; new bytes become a snapshot whose parsed
 * rows are streamed into staging, then handed to ingest. A snapshot a crashed run left
 * half-staged is resumed rather than duplicated.
 */
@Injectable()
export class SnapshotStager {
  constructor(
    private readonly prisma: PrismaService,
    private readonly staging: StagingRepository,
    private readonly queues: Queues,
  ) {}

  async stage(content: FetchedContent): Promise<StageOutcome> {
    const latest = await this.prisma.snapshot.findFirst({
      where: { sourceId: content.sourceId, scope: content.scope },
      orderBy: { fetchedAt: 'desc' },
    });
    if (latest && latest.contentHash === content.contentHash && latest.status !== 'staging') {
      // A staged snapshot may have lost its ingest job (Redis restarted); re-adding it is a
      // no-op when it is still queued.
      if (latest.status === 'staged') await this.enqueueIngest(latest.id);
      return { result: 'unchanged', previousStatus: latest.status };
    }
    const snapshot =
      latest && latest.contentHash === content.contentHash
        ? latest
        : await this.prisma.snapshot.create({
            data: {
              sourceId: content.sourceId,
              scope: content.scope,
              contentHash: content.contentHash,
              sizeBytes: BigInt(content.sizeBytes),
              fetchedAt: content.fetchedAt,
              etag: content.etag,
              lastModified: content.lastModified,
              mode: content.mode,
              cursor: content.cursor,
              status: 'staging',
            },
          });

    const tally = new ParseTally(content.mode);
    let rowCount: number;
    try {
      rowCount = await this.staging.stage(snapshot.id, tally.staged(content.parse()));
    } catch (error) {
      if (error instanceof SourceFormatError || error instanceof SourceSettingsError) {
        await this.staging.discard(snapshot.id);
        await this.prisma.snapshot.update({
          where: { id: snapshot.id },
          data: {
            status: 'failed',
            statusReason: error.message,
            errorCount: tally.errorCount,
            errors: tally.errors as object[],
          },
        });
        throw new UnreadableExportError(error.message, { cause: error });
      }
      throw error;
    }
    await this.prisma.snapshot.update({
      where: { id: snapshot.id },
      data: {
        status: 'staged',
        rowCount,
        errorCount: tally.errorCount,
        truncated: tally.truncated,
        errors: tally.errors as object[],
      },
    });
    await this.enqueueIngest(snapshot.id);
    return { result: 'staged', snapshotId: snapshot.id, rowCount, errorCount: tally.errorCount };
  }

  private async enqueueIngest(snapshotId: string): Promise<void> {
    await this.queues.ingest.add(JobName.ingest, { snapshotId }, { jobId: jobId.ingest(snapshotId) });
  }
}
