import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '@partnerwatch/config';
import { PrismaService } from '@partnerwatch/db';
import { ChannelSendError, getChannel } from '@partnerwatch/notify';
import { alertMessage } from './alert-message';

export type DeliverOutcome = 'delivered' | 'already-done' | 'gone';

/**
 * Sends one delivery (one alert to one subscription). Whether to send is decided here, for every
 * channel: a delivered or dead-lettered row is never sent again, every attempt is recorded, and a
 * failure either waits for BullMQ's next retry or, when permanent or final, dead-letters the row.
 */
@Injectable()
export class NotificationService {
  private readonly logger = new Logger(NotificationService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
  ) {}

  /** @param finalAttempt true when BullMQ will not retry after this attempt */
  async deliver(deliveryId: string, finalAttempt: boolean): Promise<DeliverOutcome> {
    const delivery = await this.prisma.delivery.findUnique({
      where: { id: deliveryId },
      include: { alert: true, subscription: true },
    });
    if (!delivery) return 'gone';
    if (delivery.status === 'delivered' || delivery.status === 'dead') return 'already-done';

    const attempt = delivery.attemptCount + 1;
    const startedAt = new Date();
    const fail = async (message: string, permanent: boolean, httpStatus?: number): Promise<never> => {
      const dead = permanent || finalAttempt;
      const backoff = this.config.NOTIFY_BACKOFF_MS * 2 ** (attempt - 1);
      await this.prisma.$transaction([
        this.prisma.deliveryAttempt.upsert({
          where: { deliveryId_attempt: { deliveryId, attempt } },
          create: {
            deliveryId,
            attempt,
            startedAt,
            durationMs: Date.now() - startedAt.getTime(),
            ok: false,
            httpStatus: httpStatus ?? null,
            error: message,
          },
          update: {},
        }),
        this.prisma.delivery.update({
          where: { id: deliveryId },
          data: {
            attemptCount: attempt,
            lastError: message,
            status: dead ? 'dead' : 'failed',
            nextAttemptAt: dead ? null : new Date(Date.now() + backoff),
          },
        }),
      ]);
      if (dead) this.logger.warn(`delivery ${deliveryId} dead-lettered after ${attempt} attempts: ${message}`);
      if (dead) throw new UnrecoverableError(message);
      throw new Error(message);
    };

    if (!delivery.subscription.enabled) return fail('subscription is disabled', true);
    let channel;
    let settings: unknown;
    try {
      channel = getChannel(delivery.subscription.channel);
      settings = channel.parseSettings(delivery.subscription.settings);
    } catch (error) {
      return fail(`subscription settings are invalid: ${error instanceof Error ? error.message : String(error)}`, true);
    }

    try {
      const result = await channel.send(alertMessage(deliveryId, delivery.alert), settings, {
        timeoutMs: this.config.NOTIFY_TIMEOUT_MS,
      });
      await this.prisma.$transaction([
        this.prisma.deliveryAttempt.upsert({
          where: { deliveryId_attempt: { deliveryId, attempt } },
          create: {
            deliveryId,
            attempt,
            startedAt,
            durationMs: Date.now() - startedAt.getTime(),
            ok: true,
            httpStatus: result.httpStatus ?? null,
          },
          update: {},
        }),
        this.prisma.delivery.update({
          where: { id: deliveryId },
          data: {
            status: 'delivered',
            attemptCount: attempt,
            deliveredAt: new Date(),
            receiverId: result.receiverId ?? null,
            lastError: null,
            nextAttemptAt: null,
          },
        }),
      ]);
      return 'delivered';
    } catch (error) {
      if (error instanceof ChannelSendError) return fail(error.message, error.permanent, error.httpStatus);
      return fail(error instanceof Error ? error.message : String(error), false);
    }
  }
}
