import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { toIntKeepBlank, toBoolean } from '../../core/web/form-values';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { COOPERATION_TYPES, CooperationType, Tier, TIERS } from '../partners/partner.entity';
import { FormDto } from '../partners/partners.dto';
import { splitRegions } from './applications.service';

/** Checkboxes send "on" (or nothing); JSON clients send booleans. */

export class ApplicationDto extends FormDto {
  @ApiProperty({ description: 'legal name' }) @IsString() @Length(2, 200, { message: 'onboarding:validation.name' }) name: string;
  @ApiProperty({ description: 'unified social credit code (18 characters, checksum verified)' }) @IsString() @Length(1, 40) creditCode: string;
  @ApiProperty() @IsString() @Length(1, 100, { message: 'onboarding:validation.contactName' }) contactName: string;
  @ApiProperty() @Matches(/^[0-9+\-() ]{5,40}$/, { message: 'onboarding:validation.contactPhone' }) contactPhone: string;
  @ApiProperty() @IsEmail({}, { message: 'onboarding:validation.contactEmail' }) @Length(3, 200) contactEmail: string;
  @ApiProperty({ description: 'city / county' }) @IsString() @Length(1, 100, { message: 'onboarding:validation.region' }) region: string;
  @ApiProperty({ enum: COOPERATION_TYPES }) @IsIn(COOPERATION_TYPES as unknown as string[], { message: 'onboarding:validation.cooperationType' }) cooperationType: CooperationType;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) bankAccountName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200) bankName?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[0-9 ]{0,40}$/, { message: 'onboarding:validation.bankAccountNo' }) bankAccountNo?: string;
  @ApiPropertyOptional({ description: 'qualifications (free text)' }) @IsOptional() @IsString() @Length(0, 5000) qualifications?: string;
  @ApiPropertyOptional({ description: 'names of the attached documents, one per line or comma separated', type: String })
  @IsOptional() @IsString() @Length(0, 2000) documentNames?: string;
  @ApiPropertyOptional({ description: 'regions the partner wants to serve: names of the region list (array, or text separated by commas)', type: [String] })
  @IsOptional() @Transform(({ value }) => (Array.isArray(value) ? value.map((v) => String(v)) : typeof value === 'string' ? splitRegions(value) : value))
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(100, { each: true }) intendedRegions?: string[];
}

export class ReviewDto extends FormDto {
  @ApiProperty({ description: 'points per criterion id, e.g. {"1": 8, "2": 7}', type: 'object', additionalProperties: { type: 'number' } })
  @IsObject({ message: 'onboarding:validation.scores' }) scores: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 5000) comments?: string;
}

export class DecisionDto extends FormDto {
  @ApiProperty({ enum: ['approved', 'rejected'] }) @IsIn(['approved', 'rejected'], { message: 'onboarding:validation.decision' }) decision: 'approved' | 'rejected';
  @ApiProperty() @IsString() @Length(1, 1000, { message: 'onboarding:validation.reason' }) reason: string;
  @ApiPropertyOptional({ enum: TIERS, description: 'required to approve' }) @IsOptional() @IsIn([...TIERS, ''], { message: 'onboarding:validation.tier' }) tier?: Tier | '';
}

export class ActivateDto extends FormDto {
  @ApiProperty({ example: '2026-11-01' }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'onboarding:validation.contractSignedOn' }) contractSignedOn: string;
}

export class CriterionDto {
  @ApiPropertyOptional() @IsOptional() @Transform(toIntKeepBlank) @IsInt() id?: number;
  @ApiProperty() @IsString() @Length(0, 100) name: string;
  @ApiProperty() @Transform(toIntKeepBlank) @IsInt({ message: 'onboarding:validation.weight' }) @Min(0) @Max(100) weight: number;
  @ApiProperty() @Transform(toIntKeepBlank) @IsInt({ message: 'onboarding:validation.maxPoints' }) @Min(1) @Max(1000) maxPoints: number;
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
  @ApiProperty({ enum: TIERS }) @IsIn(TIERS as unknown as string[], { message: 'onboarding:validation.tier' }) tier: Tier;
  @ApiProperty() @IsString() @Length(1, 1000, { message: 'onboarding:validation.overrideReason' }) reason: string;
}

export class AcceptTierDto extends FormDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 1000) reason?: string;
}

export function splitDocumentNames(text: string | undefined): string[] {
  return (text ?? '').split(/[\n,;]+/).map((s) => s.trim()).filter(Boolean);
}
