import type { Queue } from 'bullmq';
import { JobName, jobId } from './queue-names';

export interface SchedulableSource {
  id: string;
  key: string;
  enabled: boolean;
  intervalSeconds: number;
}

const SCHEDULER_PREFIX = jobId.pollScheduler('');

/**
 * Make the poll queue's job schedulers match the sources: one per enabled source at its interval
 * (never below the floor), none for disabled or deleted ones. Upserting an unchanged scheduler is
 * harmless, so the worker and the API can both call this.
 */
export async function syncSourceSchedules(
  pollQueue: Queue,
  sources: readonly SchedulableSource[],
  minIntervalSeconds: number,
): Promise<{ scheduled: number; removed: number }> {
  const wanted = new Map(sources.filter((s) => s.enabled).map((s) => [jobId.pollScheduler(s.id), s]));
  for (const [schedulerId, source] of wanted) {
    await pollQueue.upsertJobScheduler(
      schedulerId,
      { every: Math.max(source.intervalSeconds, minIntervalSeconds) * 1000 },
      { name: JobName.poll, data: { sourceId: source.id } },
    );
  }
  let removed = 0;
  const existing = await pollQueue.getJobSchedulers(0, -1);
  for (const scheduler of existing) {
    const id = scheduler.key;
    if (id.startsWith(SCHEDULER_PREFIX) && !wanted.has(id)) {
      await pollQueue.removeJobScheduler(id);
      removed++;
    }
  }
  return { scheduled: wanted.size, removed };
}
