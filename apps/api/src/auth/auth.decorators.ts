import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '@partnerwatch/db';
import type { Principal } from './principal';

export const IS_PUBLIC = 'partnerwatch:public';
export const MIN_ROLE = 'partnerwatch:min-role';

/** No API key needed (health checks). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** The lowest role allowed; reads default to viewer. */
export const MinRole = (role: Role) => SetMetadata(MIN_ROLE, role);

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<{ principal?: Principal }>();
  if (!request.principal) throw new Error('No principal on an authenticated route');
  return request.principal;
});
