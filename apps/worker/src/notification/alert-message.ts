import type { OutboundMessage } from '@partnerwatch/notify';

export interface AlertForMessage {
  id: string;
  organizationId: string;
  supplierId: string | null;
  type: string;
  severity: string;
  state: string;
  title: string;
  details: unknown;
  createdAt: Date;
}

/** The one JSON shape integrators receive for an alert, whatever the channel renders from it. */
export function alertMessage(deliveryId: string, alert: AlertForMessage): OutboundMessage {
  const details = (alert.details ?? {}) as {
    listing?: { reason?: string | null; authority?: string | null; listedOn?: string | null };
  };
  const summary = [details.listing?.reason, details.listing?.authority, details.listing?.listedOn]
    .filter((x): x is string => typeof x === 'string' && x.length > 0)
    .join(' · ');
  return {
    deliveryId,
    eventType: `alert.${alert.type}`,
    title: alert.title,
    summary,
    payload: {
      id: deliveryId,
      type: `alert.${alert.type}`,
      createdAt: new Date().toISOString(),
      organizationId: alert.organizationId,
      alert: {
        id: alert.id,
        type: alert.type,
        severity: alert.severity,
        state: alert.state,
        title: alert.title,
        createdAt: alert.createdAt.toISOString(),
        supplierId: alert.supplierId,
        ...(alert.details as Record<string, unknown>),
      },
    },
  };
}
