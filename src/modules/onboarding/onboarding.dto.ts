import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { toIntKeepBlank, toBoolean } from '../../core/web/form-values';
import { Transform, Type } from 'class-transformer';
import { IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { COOPERATION_TYPES, CooperationType, Tier, TIERS } from '../partners/partner.entity';
import { FormDto } from '../partners/partners.dto';

/** Checkboxes send "on" (or nothing); JSON clients send booleans. */

export class ApplicationDto extends FormDto {
  @ApiProperty({ description: 'legal name' }) @IsString() @Length(2, 200, { message: 'name must be 2-200 characters' }) name: string;
  @ApiProperty({ description: 'unified social credit code (18 characters, checksum verified)' }) @IsString() @Length(1, 40) creditCode: string;
  @ApiProperty() @IsString() @Length(1, 100, { message: 'contact person is required' }) contactName: string;
  @ApiProperty() @Matches(/^[0-9+\-() ]{5,40}$/, { message: 'contact phone must be 5-40 digits, spaces, +, - or ()' }) contactPhone: string;
  @ApiProperty() @IsEmail({}, { message: 'contact email must be an email address' }) @Length(3, 200) contactEmail: string;
  @ApiProperty({ description: 'city / county' }) @IsString() @Length(1, 100, { message: 'region is required' }) region: string;
  @ApiProperty({ enum: COOPERATION_TYPES }) @IsIn(COOPERATION_TYPES as unknown as string[], { message: `cooperation type must be one of ${COOPERATION_TYPES.join(', ')}` }) cooperationType: CooperationType;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) bankAccountName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) bankName?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9 ]{0,40}$/, { message: 'bank account number is digits only' }) bankAccountNo?: string;
  @ApiPropertyOptional({ description: 'qualifications (free text)' }) @IsOptional() @IsString() @Length(0, 5000) qualifications?: string;
  @ApiPropertyOptional({ description: 'names of the attached documents, one per line or comma separated', type: String })
  @IsOptional() @IsString() @Length(0, 2000) documentNames?: string;
  @ApiPropertyOptional({ description: 'regions the partner wants to serve' }) @IsOptional() @IsString() @Length(0, 1000) intendedRegions?: string;
}

export class ReviewDto extends FormDto {
  @ApiProperty({ description: 'points per criterion id, e.g. {"1": 8, "2": 7}', type: 'object', additionalProperties: { type: 'number' } })
  @IsObject({ message: 'scores must map criterion ids to points' }) scores: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 5000) comments?: string;
}

export class DecisionDto extends FormDto {
  @ApiProperty({ enum: ['approved', 'rejected'] }) @IsIn(['approved', 'rejected'], { message: 'decision must be approved or rejected' }) decision: 'approved' | 'rejected';
  @ApiProperty() @IsString() @Length(1, 1000, { message: 'a reason is required' }) reason: string;
  @ApiPropertyOptional({ enum: TIERS, description: 'required to approve' }) @IsOptional() @IsIn([...TIERS, ''], { message: 'tier must be A, B or C' }) tier?: Tier | '';
}

export class ActivateDto extends FormDto {
  @ApiProperty({ example: '2026-11-01' }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'contract signed date must be a date like 2026-11-25' }) contractSignedOn: string;
}

export class CriterionDto {
  @ApiPropertyOptional() @IsOptional() @Transform(toIntKeepBlank) @IsInt() id?: number;
  @ApiProperty() @IsString() @Length(0, 100) name: string;
  @ApiProperty() @Transform(toIntKeepBlank) @IsInt({ message: 'weight must be a whole number' }) @Min(0) @Max(100) weight: number;
  @ApiProperty() @Transform(toIntKeepBlank) @IsInt({ message: 'max points must be a whole number' }) @Min(1) @Max(1000) maxPoints: number;
  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean() active?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(toIntKeepBlank) @IsInt() sort?: number;
}

export class CriteriaDto extends FormDto {
  @ApiProperty({ type: [CriterionDto] }) @IsArray() @ValidateNested({ each: true }) @Type(() => CriterionDto) criteria: CriterionDto[];
}

export class SettingsDto extends FormDto {
  @ApiProperty({ example: '70' }) @IsString() passMark: string;
  @ApiProperty({ example: '90', description: 'average score from which tier A is proposed' }) @IsString() tierAMin: string;
  @ApiProperty({ example: '75', description: 'average score from which tier B is proposed' }) @IsString() tierBMin: string;
}

export class TierPolicyRowDto {
  @ApiProperty({ enum: TIERS }) @IsIn(TIERS as unknown as string[]) tier: Tier;
  @ApiProperty() @Transform(toIntKeepBlank) @IsInt() @Min(0) customerQuota: number;
  @ApiProperty() @Transform(toIntKeepBlank) @IsInt() @Min(1) supportResponseHours: number;
}

export class TierPolicyDto extends FormDto {
  @ApiProperty({ type: [TierPolicyRowDto] }) @IsArray() @ValidateNested({ each: true }) @Type(() => TierPolicyRowDto) policies: TierPolicyRowDto[];
}

export class OverrideTierDto extends FormDto {
  @ApiProperty({ enum: TIERS }) @IsIn(TIERS as unknown as string[], { message: 'tier must be A, B or C' }) tier: Tier;
  @ApiProperty() @IsString() @Length(1, 1000, { message: 'a reason is required to override a proposal' }) reason: string;
}

export class AcceptTierDto extends FormDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 1000) reason?: string;
}

export function splitDocumentNames(text: string | undefined): string[] {
  return (text ?? '').split(/[\n,;]+/).map((s) => s.trim()).filter(Boolean);
}
