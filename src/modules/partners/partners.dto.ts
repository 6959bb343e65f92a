import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PARTNER_STATUSES } from './partner-status.util';
import { COOPERATION_TYPES, TIERS } from './partner.entity';

/** HTML forms send the CSRF token as a body field; the whitelist must accept it. */
export class FormDto {
  @ApiPropertyOptional({ description: 'CSRF token (HTML forms only)' }) @IsOptional() @IsString() _csrf?: string;
}

export class PartnerReasonDto extends FormDto {
  @ApiProperty() @IsString() @Length(1, 1000, { message: 'partners:validation.reason' }) @Matches(/\S/, { message: 'partners:validation.reason' })
  reason: string;
}

export class InvitePartnerUserDto extends FormDto {
  @ApiProperty() @Matches(/^[a-z0-9._-]{3,64}$/, { message: 'partners:validation.username' }) username: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) displayName?: string;
  @ApiProperty() @IsEmail({}, { message: 'auth:errors.email' }) @Length(3, 254, { message: 'auth:errors.email' }) email: string;
}

/** Documentation of the list's query (the controllers parse it leniently: unknown values are ignored). */
export class PartnerListQueryDto {
  @ApiPropertyOptional({ enum: PARTNER_STATUSES }) @IsOptional() @IsIn([...PARTNER_STATUSES, '']) status?: string;
  @ApiPropertyOptional({ enum: TIERS }) @IsOptional() @IsIn([...TIERS, '']) tier?: string;
  @ApiPropertyOptional({ enum: COOPERATION_TYPES }) @IsOptional() @IsIn([...COOPERATION_TYPES, '']) type?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 100) region?: string;
  @ApiPropertyOptional({ description: 'code or credit code prefix, or part of the name' }) @IsOptional() @IsString() @Length(0, 100) q?: string;
  @ApiPropertyOptional({ description: 'next page: codes after this one' }) @IsOptional() @IsString() @Length(0, 20) after?: string;
  @ApiPropertyOptional({ description: 'previous page: codes before this one' }) @IsOptional() @IsString() @Length(0, 20) before?: string;
  @ApiPropertyOptional({ maximum: 200 }) @IsOptional() @Matches(/^\d{1,3}$/) limit?: string;
}

/**
 * Master-data edit (#17), page form and API: a field left out stays as it is; an empty date clears it. The rule
 * (required contact fields, date order) is in master-data.util, so the page and the API refuse alike.
 */
export class PartnerEditDto extends FormDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 100, { message: 'partners:edit.errors.contactName' }) contactName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 40, { message: 'partners:edit.errors.contactPhone' }) contactPhone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200, { message: 'partners:edit.errors.contactEmail' }) contactEmail?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 300, { message: 'partners:edit.errors.address' }) address?: string;
  @ApiPropertyOptional({ description: 'a name of the region list (/api/regions); known spellings are mapped' }) @IsOptional() @IsString() @Length(0, 100) region?: string;
  @ApiPropertyOptional({ enum: COOPERATION_TYPES }) @IsOptional() @IsString() @Length(0, 40) cooperationType?: string;
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @IsString() @Length(0, 10, { message: 'partners:edit.errors.date' }) contractSignedOn?: string;
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @IsString() @Length(0, 10, { message: 'partners:edit.errors.date' }) contractStartOn?: string;
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @IsString() @Length(0, 10, { message: 'partners:edit.errors.date' }) contractEndOn?: string;
  @ApiPropertyOptional({ description: 'why (kept with each history row)' }) @IsOptional() @IsString() @Length(0, 500) reason?: string;
}
