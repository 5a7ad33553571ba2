import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PrismaService, type Role } from '@partnerwatch/db';
import { IS_PUBLIC, MIN_ROLE } from './auth.decorators';
import { apiKeyPrefix, hashApiKey } from './api-key';
import { ROLE_RANK, type Principal } from './principal';

interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
  method: string;
  principal?: Principal;
}

/** Every route needs an API key unless marked @Public; writes need at least the route's role. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly prisma: PrismaService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const key = this.readKey(request);
    if (!key) throw new UnauthorizedException('An API key is required: send "Authorization: Bearer <key>"');
    const prefix = apiKeyPrefix(key);
    const apiKey = prefix ? await this.prisma.apiKey.findUnique({ where: { prefix } }) : null;
    if (!apiKey || apiKey.revokedAt || apiKey.secretHash !== hashApiKey(key)) {
      throw new UnauthorizedException('The API key is not valid or has been revoked');
    }
    const required = this.reflector.getAllAndOverride<Role | undefined>(MIN_ROLE, targets) ?? 'viewer';
    if (ROLE_RANK[apiKey.role] < ROLE_RANK[required]) {
      throw new ForbiddenException(`This action needs the ${required} role or higher; the key has ${apiKey.role}`);
    }
    request.principal = { organizationId: apiKey.organizationId, apiKeyId: apiKey.id, role: apiKey.role };
    return true;
  }

  private readKey(request: AuthRequest): string | undefined {
    const header = request.headers['authorization'];
    const value = Array.isArray(header) ? header[0] : header;
    if (value?.toLowerCase().startsWith('bearer ')) return value.slice(7).trim();
    const xKey = request.headers['x-api-key'];
    return Array.isArray(xKey) ? xKey[0] : xKey;
  }
}
