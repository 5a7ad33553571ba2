import type { Role } from '@partnerwatch/db';

/** Who is calling: resolved from the API key by the guard, scoping every query to one organization. */
export interface Principal {
  organizationId: string;
  apiKeyId: string;
  role: Role;
}

/** Higher roles can do everything lower ones can. */
export const ROLE_RANK: Record<Role, number> = { viewer: 0, procurement: 1, risk_manager: 2, admin: 3 };
