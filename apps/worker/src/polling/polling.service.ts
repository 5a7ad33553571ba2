import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { UnrecoverableError } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@partnerwatch/config';
import { PrismaService, type Source } from '@partnerwatch/db';
import { SnapshotStager, UnreadableExportError } from './snapshot-stager.service';
import {
  FetchError,
  SourceFormatError,
  SourceSettingsError,
  defaultPlan,
  fetchExport,
  fetchJsonDocument,
  getAdapter,
  removeFetchedFile,
  type FetchOptions,
  type FetchPlan,
  type FetchedExport,
  type SourceAdapter,
} from '@partnerwatch/sources';

export type PollResult = 'disabled' | 'not-modified' | 'unchanged' | 'staged';

/**
 * One poll of one bulk source: work out what to download (the adapter's plan: usually the
 * source's URL, sometimes several files or a series of deltas), download with a conditional GET;
 * when the content changed, stream-parse it into staged rows of a new snapshot and hand the
 * snapshot to ingest. An unchanged export costs one request (304) or one download and hash, and
 * creates no work.
 */
@Injectable()
export class PollingService {
  private readonly logger = new Logger(PollingService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly stager: SnapshotStager,
  ) {}

  async poll(sourceId: string, signal: AbortSignal = new AbortController().signal): Promise<PollResult> {
    const source = await this.prisma.source.findUnique({ where: { id: sourceId } });
    if (!source) throw new UnrecoverableError(`Source ${sourceId} does not exist`);
    if (!source.enabled) return 'disabled';

    let adapter: SourceAdapter;
    let settings: unknown;
    try {
      adapter = getAdapter(source.adapter);
      settings = adapter.parseSettings(source.settings);
    } catch (error) {
      await this.recordError(sourceId, error);
      throw new UnrecoverableError(`Source ${source.key} is misconfigured: ${errorMessage(error)}`);
    }

    const fetchOptions: FetchOptions = {
      timeoutMs: this.config.FETCH_TIMEOUT_MS,
      maxBytes: this.config.FETCH_MAX_BYTES,
      maxRedirects: this.config.FETCH_MAX_REDIRECTS,
      userAgent: this.config.FETCH_USER_AGENT,
      workDir: this.config.WORK_DIR,
      signal,
    };

    const files = new Map<string, FetchedExport>();
    try {
      const plan = await this.guard(sourceId, () =>
        adapter.plan
          ? adapter.plan({
              url: source.url,
              settings,
              cursor: source.cursor,
              signal,
              fetchJson: (url) => fetchJsonDocument(url, fetchOptions),
            })
          : Promise.resolve(defaultPlan(source.url)),
      );
      if (plan.resources.length === 0) return await this.notModified(sourceId);

      for (const [index, resource] of plan.resources.entries()) {
        // Validators belong to the source's own URL; only its response can be a 304 for us.
        const conditional = index === 0 && plan.mode === 'full' && resource.url === source.url;
        const result = await this.guard(sourceId, () =>
          fetchExport(
            { url: resource.url, ...(conditional ? { etag: source.etag, lastModified: source.lastModified } : {}) },
            fetchOptions,
          ),
        );
        if (result.kind === 'not-modified') return await this.notModified(sourceId);
        files.set(resource.name, result);
      }
      return await this.stageIfChanged(source, adapter, settings, plan, files, signal);
    } finally {
      await Promise.all([...files.values()].map((file) => removeFetchedFile(file.path)));
    }
  }

  private async stageIfChanged(
    source: Source,
    adapter: SourceAdapter,
    settings: unknown,
    plan: FetchPlan,
    files: Map<string, FetchedExport>,
    signal: AbortSignal,
  ): Promise<PollResult> {
    const main = files.get(plan.resources[0]!.name)!;
    const contentHash = combinedHash(plan, files);
    const validators =
      plan.mode === 'full' && plan.resources[0]!.url === source.url
        ? { etag: main.etag ?? null, lastModified: main.lastModified ?? null }
        : {};

    const open = (name: string) => {
      const file = files.get(name);
      if (!file) throw new SourceFormatError(`the plan has no resource named "${name}"`);
      return createReadStream(file.path);
    };
    let outcome;
    try {
      outcome = await this.stager.stage({
        sourceId: source.id,
        scope: null,
        contentHash,
        sizeBytes: [...files.values()].reduce((sum, f) => sum + f.sizeBytes, 0),
        fetchedAt: main.fetchedAt,
        etag: main.etag ?? null,
        lastModified: main.lastModified ?? null,
        mode: plan.mode,
        cursor: plan.cursor ?? null,
        parse: () =>
          adapter.parse(open(plan.resources[0]!.name), {
            settings,
            signal,
            resourceNames: plan.resources.map((r) => r.name),
            open,
          }),
      });
    } catch (error) {
      if (error instanceof UnreadableExportError) {
        await this.recordError(source.id, error);
        throw new UnrecoverableError(`Export of ${source.key} cannot be read: ${error.message}`);
      }
      throw error;
    }
    if (outcome.result === 'unchanged') {
      // Same bytes as last time: nothing to parse.
      await this.prisma.source.update({
        where: { id: source.id },
        data: {
          ...validators,
          lastPolledAt: new Date(),
          lastPollResult: 'unchanged',
          ...(outcome.previousStatus === 'failed' ? {} : { lastError: null }),
        },
      });
      return 'unchanged';
    }

    await this.prisma.source.update({
      where: { id: source.id },
      data: { ...validators, lastPolledAt: new Date(), lastPollResult: 'changed', lastError: null },
    });
    this.logger.log(
      `${source.key}: staged snapshot ${outcome.snapshotId} (${outcome.rowCount} rows, ${outcome.errorCount} unreadable)`,
    );
    return 'staged';
  }

  private async notModified(sourceId: string): Promise<PollResult> {
    await this.prisma.source.update({
      where: { id: sourceId },
      data: { lastPolledAt: new Date(), lastPollResult: 'not-modified', lastError: null },
    });
    return 'not-modified';
  }

  /** Records a failure on the source; permanent ones (404, bad URL, too large, bad index) are not retried. */
  private async guard<T>(sourceId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      await this.recordError(sourceId, error);
      const permanent =
        (error instanceof FetchError && error.permanent) ||
        error instanceof SourceFormatError ||
        error instanceof SourceSettingsError;
      if (permanent) throw new UnrecoverableError(errorMessage(error));
      throw error;
    }
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

/** One resource: its SHA-256. Several: a hash over their names and hashes, in plan order. */
function combinedHash(plan: FetchPlan, files: Map<string, FetchedExport>): string {
  if (plan.resources.length === 1) return files.get(plan.resources[0]!.name)!.sha256;
  const hash = createHash('sha256').update(plan.mode);
  for (const resource of plan.resources) hash.update(`\n${resource.name}:${files.get(resource.name)!.sha256}`);
  return hash.digest('hex');
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
