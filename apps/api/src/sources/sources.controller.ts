import {
  Body,
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
} from '@nestjs/common';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, Min } from 'class-validator';
import { APP_CONFIG, type AppConfig } from '@partnerwatch/config';
import { DEFAULT_QUARANTINE_THRESHOLDS, LIST_KINDS, parseQuarantineThresholds } from '@partnerwatch/domain';
import { PrismaService } from '@partnerwatch/db';
import { JobName, Queues, jobId, syncSourceSchedules } from '@partnerwatch/queue';
import { SOURCE_CATALOG, getAdapter, listAdapters } from '@partnerwatch/sources';
import { AuditService } from '../audit/audit.service';
import { CurrentPrincipal, MinRole } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { fieldError } from '../common/validation';

export class CreateSourceDto {
  /** A stable slug, e.g. "cn-abnormal-operations-jiangsu". */
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'key must be 2-63 lowercase letters, digits or dashes' })
  key!: string;

  @IsString()
  @Length(1, 200)
  name!: string;

  @IsString()
  adapter!: string;

  @IsIn(LIST_KINDS)
  listKind!: (typeof LIST_KINDS)[number];

  /** 'bulk' (default): the URL is a whole export. 'lookup': one request per watched company. */
  @IsOptional()
  @IsIn(['bulk', 'lookup'])
  mode?: 'bulk' | 'lookup';

  /** An http(s) URL; for a lookup source, with {uscc} where the company's code goes. */
  @IsString()
  @Length(8, 2000)
  url!: string;

  /** Lookup sources: most lookups per minute across all workers. */
  @IsOptional()
  @IsInt()
  @Min(1)
  rateLimitPerMinute?: number;

  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;

  @IsOptional()
  @IsInt()
  @Min(1)
  intervalSeconds?: number;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  /** Quarantine thresholds over the defaults: { maxRemovedShare, maxRemovedCount, maxErrorShare }. */
  @IsOptional()
  @IsObject()
  guard?: Record<string, unknown>;
}

export class SnapshotDecisionDto {
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  note?: string;
}

export class UpdateSourceDto {
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @IsOptional()
  @IsString()
  @Length(8, 2000)
  url?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  rateLimitPerMinute?: number;

  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;

  @IsOptional()
  @IsInt()
  @Min(1)
  intervalSeconds?: number;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @IsOptional()
  @IsObject()
  guard?: Record<string, unknown>;
}

const health = {
  id: true,
  key: true,
  name: true,
  adapter: true,
  mode: true,
  listKind: true,
  url: true,
  settings: true,
  intervalSeconds: true,
  enabled: true,
  guard: true,
  rateLimitPerMinute: true,
  organizationId: true,
  lastPolledAt: true,
  lastPollResult: true,
  lastChangedAt: true,
  lastError: true,
  lastErrorAt: true,
  createdAt: true,
} as const;

@Controller('v1/sources')
export class SourcesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly queues: Queues,
    private readonly audit: AuditService,
  ) {}

  @Get('adapters')
  adapters() {
    return { data: listAdapters().map((a) => ({ id: a.id, description: a.description })) };
  }

  /** The built-in catalog: official locations, and whether this deployment has each list on. */
  @Get('catalog')
  async catalog() {
    const sources = await this.prisma.source.findMany({
      where: { key: { in: SOURCE_CATALOG.map((c) => c.key) }, organizationId: null },
      select: { id: true, key: true, enabled: true, url: true },
    });
    const byKey = new Map(sources.map((s) => [s.key, s]));
    return {
      data: SOURCE_CATALOG.map((c) => ({
        ...c,
        sourceId: byKey.get(c.key)?.id ?? null,
        enabled: byKey.get(c.key)?.enabled ?? false,
        configuredUrl: byKey.get(c.key)?.url || null,
      })),
    };
  }

  /** Public sources and this organization's own, with their health. */
  @Get()
  async list(@CurrentPrincipal() principal: Principal) {
    const sources = await this.prisma.source.findMany({
      where: { OR: [{ organizationId: null }, { organizationId: principal.organizationId }] },
      orderBy: { key: 'asc' },
      select: health,
    });
    const ids = sources.map((s) => s.id);
    const counts = await this.entryCounts(ids);
    const held = await this.prisma.snapshot.groupBy({
      by: ['sourceId'],
      where: { sourceId: { in: ids }, status: 'quarantined' },
      _count: { _all: true },
    });
    const quarantined = new Map(held.map((h) => [h.sourceId, h._count._all]));
    return {
      data: sources.map((s) => ({
        ...s,
        ...this.nextPoll(s),
        entryCount: counts.get(s.id) ?? 0,
        quarantinedSnapshots: quarantined.get(s.id) ?? 0,
      })),
    };
  }

  @Get(':id')
  async get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    const source = await this.visible(principal, id);
    const snapshots = await this.prisma.snapshot.findMany({
      where: { sourceId: id },
      orderBy: { fetchedAt: 'desc' },
      take: 20,
      select: {
        id: true,
        status: true,
        statusReason: true,
        contentHash: true,
        sizeBytes: true,
        rowCount: true,
        errorCount: true,
        fetchedAt: true,
        appliedAt: true,
        addedCount: true,
        removedCount: true,
        modifiedCount: true,
        errors: true,
      },
    });
    const counts = await this.entryCounts([id]);
    return { ...source, ...this.nextPoll(source), entryCount: counts.get(id) ?? 0, snapshots };
  }

  @Post()
  @MinRole('admin')
  async create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateSourceDto) {
    this.checkAdapter(dto.adapter, dto.settings ?? {});
    this.checkInterval(dto.intervalSeconds);
    this.checkGuard(dto.guard);
    this.checkUrl(dto.url, dto.mode ?? 'bulk');
    if (await this.prisma.source.findUnique({ where: { key: dto.key } })) {
      throw fieldError('key', `A source with key "${dto.key}" already exists`);
    }
    const source = await this.prisma.source.create({
      data: {
        key: dto.key,
        organizationId: principal.organizationId,
        name: dto.name,
        adapter: dto.adapter,
        listKind: dto.listKind,
        url: dto.url,
        mode: dto.mode ?? 'bulk',
        rateLimitPerMinute: dto.rateLimitPerMinute ?? null,
        settings: (dto.settings ?? {}) as object,
        intervalSeconds: dto.intervalSeconds ?? 3600,
        enabled: dto.enabled ?? true,
        guard: (dto.guard ?? {}) as object,
      },
      select: health,
    });
    await this.audit.record(
      principal,
      'source.created',
      { type: 'source', id: source.id },
      { key: dto.key, url: dto.url },
    );
    await this.reschedule();
    return source;
  }

  @Patch(':id')
  @MinRole('admin')
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateSourceDto,
  ) {
    const source = await this.owned(principal, id);
    if (dto.settings) this.checkAdapter(source.adapter, dto.settings);
    this.checkInterval(dto.intervalSeconds);
    this.checkGuard(dto.guard);
    if (dto.url !== undefined) this.checkUrl(dto.url, source.mode);
    const updated = await this.prisma.source.update({
      where: { id },
      data: {
        ...(dto.name !== undefined ? { name: dto.name } : {}),
        // A new URL or settings may describe a different export: forget the HTTP validators.
        ...(dto.url !== undefined ? { url: dto.url, etag: null, lastModified: null } : {}),
        ...(dto.settings !== undefined ? { settings: dto.settings as object, etag: null, lastModified: null } : {}),
        ...(dto.intervalSeconds !== undefined ? { intervalSeconds: dto.intervalSeconds } : {}),
        ...(dto.enabled !== undefined ? { enabled: dto.enabled } : {}),
        ...(dto.guard !== undefined ? { guard: dto.guard as object } : {}),
        ...(dto.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: dto.rateLimitPerMinute } : {}),
      },
      select: health,
    });
    await this.audit.record(principal, 'source.updated', { type: 'source', id }, { fields: Object.keys(dto) });
    await this.reschedule();
    return updated;
  }

  /** Poll now rather than at the next scheduled time. */
  @Post(':id/poll')
  @HttpCode(202)
  @MinRole('risk_manager')
  async pollNow(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    const source = await this.visible(principal, id);
    const job = await this.queues.poll.add(JobName.poll, { sourceId: source.id });
    await this.audit.record(principal, 'source.poll_requested', { type: 'source', id });
    return { queued: true, jobId: job.id };
  }

  /**
   * Apply a quarantined snapshot as it is (a real mass removal, say). It goes through ingest
   * again, without the quarantine check, and then through screening and alerts as usual.
   */
  @Post(':id/snapshots/:snapshotId/approve')
  @HttpCode(202)
  @MinRole('admin')
  async approve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('snapshotId', ParseUUIDPipe) snapshotId: string,
    @Body() dto: SnapshotDecisionDto,
  ) {
    await this.decide(principal, id, snapshotId, 'staged');
    await this.queues.ingest.add(JobName.ingest, { snapshotId }, { jobId: `${jobId.ingest(snapshotId)}-approved` });
    await this.audit.record(
      principal,
      'snapshot.approved',
      { type: 'snapshot', id: snapshotId },
      { sourceId: id, note: dto.note ?? null },
    );
    return { snapshotId, status: 'approved', queued: true };
  }

  /** Discard a quarantined snapshot; the last applied one stays in force. */
  @Post(':id/snapshots/:snapshotId/reject')
  @MinRole('admin')
  async reject(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('snapshotId', ParseUUIDPipe) snapshotId: string,
    @Body() dto: SnapshotDecisionDto,
  ) {
    await this.decide(principal, id, snapshotId, 'rejected');
    await this.prisma.stagedEntry.deleteMany({ where: { snapshotId } });
    await this.audit.record(
      principal,
      'snapshot.rejected',
      { type: 'snapshot', id: snapshotId },
      { sourceId: id, note: dto.note ?? null },
    );
    return { snapshotId, status: 'rejected' };
  }

  private async decide(principal: Principal, sourceId: string, snapshotId: string, status: 'staged' | 'rejected') {
    await this.visible(principal, sourceId);
    // Only a snapshot still in quarantine can be decided, and only once.
    const decided = await this.prisma.snapshot.updateMany({
      where: { id: snapshotId, sourceId, status: 'quarantined' },
      data: { status, decidedBy: principal.apiKeyId, decidedAt: new Date() },
    });
    if (decided.count === 0) {
      const snapshot = await this.prisma.snapshot.findFirst({ where: { id: snapshotId, sourceId } });
      if (!snapshot) throw new NotFoundException(`Snapshot ${snapshotId} not found on source ${sourceId}`);
      throw new ConflictException(
        `Snapshot ${snapshotId} is ${snapshot.status}, not quarantined: there is nothing to decide`,
      );
    }
  }

  private checkUrl(url: string, mode: 'bulk' | 'lookup'): void {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url.split('{uscc}').join('X'));
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
      throw fieldError('url', 'url must be an http or https URL');
    }
    if (mode === 'lookup' && !url.includes('{uscc}')) {
      throw fieldError('url', "a lookup source's url must contain {uscc} where the company's code goes");
    }
  }

  private checkGuard(guard: Record<string, unknown> | undefined): void {
    if (guard === undefined) return;
    const { problems } = parseQuarantineThresholds(guard, DEFAULT_QUARANTINE_THRESHOLDS);
    if (problems.length) throw fieldError('guard', problems.join('; '));
  }

  private checkAdapter(adapterId: string, settings: Record<string, unknown>): void {
    let adapter;
    try {
      adapter = getAdapter(adapterId);
    } catch (error) {
      throw fieldError('adapter', error instanceof Error ? error.message : String(error));
    }
    try {
      adapter.parseSettings(settings);
    } catch (error) {
      throw fieldError('settings', error instanceof Error ? error.message : String(error));
    }
  }

  private checkInterval(intervalSeconds: number | undefined): void {
    if (intervalSeconds !== undefined && intervalSeconds < this.config.MIN_POLL_INTERVAL_SECONDS) {
      throw fieldError('intervalSeconds', `intervalSeconds must be at least ${this.config.MIN_POLL_INTERVAL_SECONDS}`);
    }
  }

  private nextPoll(source: { enabled: boolean; lastPolledAt: Date | null; intervalSeconds: number }) {
    if (!source.enabled) return { nextPollAt: null };
    const interval = Math.max(source.intervalSeconds, this.config.MIN_POLL_INTERVAL_SECONDS) * 1000;
    return { nextPollAt: source.lastPolledAt ? new Date(source.lastPolledAt.getTime() + interval) : null };
  }

  private async entryCounts(ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.prisma.listEntry.groupBy({
      by: ['sourceId'],
      where: { sourceId: { in: ids }, active: true },
      _count: { _all: true },
    });
    return new Map(rows.map((r) => [r.sourceId, r._count._all]));
  }

  private async reschedule(): Promise<void> {
    const sources = await this.prisma.source.findMany({
      select: { id: true, key: true, enabled: true, intervalSeconds: true },
    });
    await syncSourceSchedules(this.queues.poll, sources, this.config.MIN_POLL_INTERVAL_SECONDS);
  }

  private async visible(principal: Principal, id: string) {
    const source = await this.prisma.source.findFirst({
      where: { id, OR: [{ organizationId: null }, { organizationId: principal.organizationId }] },
      select: health,
    });
    if (!source) throw new NotFoundException(`Source ${id} not found`);
    return source;
  }

  /** Only an organization's own sources can be changed through the API. */
  private async owned(principal: Principal, id: string) {
    const source = await this.prisma.source.findFirst({ where: { id, organizationId: principal.organizationId } });
    if (!source) throw new NotFoundException(`Source ${id} not found among this organization's sources`);
    return source;
  }
}
