import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

export class PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  /** The id of the last item of the previous page. */
  @IsOptional()
  @IsUUID()
  cursor?: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Prisma arguments for keyset pagination by id after a cursor; fetch one extra to know if more. */
export function pageArgs(query: PageQuery): { take: number; cursor?: { id: string }; skip?: number } {
  const take = (query.limit ?? 50) + 1;
  return query.cursor ? { take, cursor: { id: query.cursor }, skip: 1 } : { take };
}

export function toPage<T extends { id: string }>(rows: T[], query: PageQuery): Page<T> {
  const limit = query.limit ?? 50;
  const data = rows.slice(0, limit);
  return { data, nextCursor: rows.length > limit ? (data[data.length - 1]?.id ?? null) : null };
}
