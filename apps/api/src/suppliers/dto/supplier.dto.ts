import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CRITICALITIES, IDENTIFIER_SCHEMES } from '@partnerwatch/domain';
import { PageQuery } from '../../common/pagination';

export const RELATIONSHIPS = [
  'supplier',
  'customer',
  'joint_venture',
  'logistics',
  'distributor',
  'service_provider',
  'other',
] as const;

export class SupplierIdentifierDto {
  @IsIn(IDENTIFIER_SCHEMES.filter((s) => s !== 'uscc'), {
    message: `scheme must be one of ${IDENTIFIER_SCHEMES.filter((s) => s !== 'uscc').join(', ')} (put a USCC in "uscc")`,
  })
  scheme!: string;

  @IsString()
  @Length(1, 64)
  value!: string;
}

export class CreateSupplierDto {
  /** The partner's id in the firm's ERP; with the USCC, a natural key for idempotent upserts. */
  @IsOptional()
  @IsString()
  @Length(1, 128)
  externalId?: string;

  @IsOptional()
  @IsString()
  @Length(1, 32)
  uscc?: string;

  @IsOptional()
  @IsString()
  @Length(1, 300)
  nameZh?: string;

  @IsOptional()
  @IsString()
  @Length(1, 300)
  nameEn?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(300, { each: true })
  aliases?: string[];

  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code such as CN' })
  country?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  tags?: string[];

  @IsOptional()
  @IsIn(CRITICALITIES)
  criticality?: (typeof CRITICALITIES)[number];

  @IsOptional()
  @IsIn(RELATIONSHIPS)
  relationship?: (typeof RELATIONSHIPS)[number];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => SupplierIdentifierDto)
  identifiers?: SupplierIdentifierDto[];
}

export class UpdateSupplierDto extends CreateSupplierDto {}

export class ListSuppliersQuery extends PageQuery {
  /** Search in Chinese or English names, aliases, USCC or external id. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @IsOptional()
  @IsIn(['CLEAR', 'LISTED'])
  status?: 'CLEAR' | 'LISTED';

  @IsOptional()
  @IsString()
  tag?: string;
}
