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
