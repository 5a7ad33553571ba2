import { Injectable, Logger } from '@nestjs/common';
import { PrismaService, ScreeningRepository } from '@partnerwatch/db';
import { ListingStatusService, type SupplierSourcePair } from '../alerting/listing-status.service';

/**
 * Screening puts what changed next to who is watched: a snapshot's changes against every
 * organization's suppliers, or one new or edited supplier against current entries. Matching here
 * is by identifier (USCC and other ids); the status and alerts follow from the matches.
 */
@Injectable()
export class ScreeningService {
  private readonly logger = new Logger(ScreeningService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly screening: ScreeningRepository,
    private readonly statuses: ListingStatusService,
  ) {}

  async screenSnapshot(snapshotId: string): Promise<{ pairs: number; events: number }> {
    const pairs = await this.screening.matchSnapshotByIdentifier(snapshotId);
    const modified = await this.prisma.change.findMany({
      where: { snapshotId, type: 'MODIFIED' },
      select: { entryId: true },
    });
    const result = await this.refreshAll(pairs, new Set(modified.map((m) => m.entryId)));
    await this.prisma.snapshot.update({ where: { id: snapshotId }, data: { screenedAt: new Date() } });
    if (result.events > 0) this.logger.log(`snapshot ${snapshotId}: ${result.events} status events`);
    return { pairs: pairs.length, events: result.events };
  }

  async screenSupplier(supplierId: string): Promise<{ pairs: number; events: number }> {
    await this.screening.withdrawStaleIdentifierMatches(supplierId);
    const pairs = await this.screening.matchSupplierByIdentifier(supplierId);
    const result = await this.refreshAll(pairs, new Set());
    return { pairs: pairs.length, events: result.events };
  }

  private async refreshAll(pairs: SupplierSourcePair[], modified: ReadonlySet<string>): Promise<{ events: number }> {
    let events = 0;
    for (const pair of pairs) events += (await this.statuses.refresh(pair, modified)).events;
    return { events };
  }
}
