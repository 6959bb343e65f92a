import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { RECORD_TYPES } from '../duty-rules.util';
import { FormDto } from '../../../core/web/form.dto';

const PERIOD = /^\d{4}Q[1-4]$/;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export class PeriodDto extends FormDto {
  @ApiProperty({ example: '2026Q3' }) @Matches(PERIOD, { message: 'duties:validation.period' }) period: string;
}

export class LockDto extends PeriodDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 500) reason?: string;
}

export class UnlockDto extends PeriodDto {
  @ApiProperty({ description: 'why the quarter is reopened (kept in the audit log)' }) @IsString() @Length(3, 500, { message: 'duties:validation.unlockReason' }) reason: string;
}

export class SubmitRecordDto extends FormDto {
  @ApiProperty() @Type(() => Number) @IsInt({ message: 'duties:validation.customerId' }) @Min(1, { message: 'duties:validation.customerId' }) customerId: number;
  @ApiProperty({ enum: RECORD_TYPES }) @IsString() recordType: string;
  @ApiProperty({ example: '2026-11-20T09:30' }) @IsString() @Length(1, 40) occurredAt: string;
  @ApiPropertyOptional({ description: 'complaint_handled only: when the complaint was received' }) @IsOptional() @IsString() @Length(0, 40) receivedAt?: string;
  @ApiProperty() @IsString() @Length(0, 2000) description: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 1000) outcome?: string;
  @ApiPropertyOptional({ example: '1200.50', description: 'money as a string with up to 2 decimals (arrears collected)' })
  @IsOptional() @Transform(({ value }) => (typeof value === 'number' ? String(value) : value)) @IsString() @Length(0, 20) amount?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsString({ each: true }) attachmentNames?: string[] | string;
}

const optionalInt = [IsOptional(), Transform(emptyToUndefined), Type(() => Number), IsInt(), Min(0), Max(1000)];
const apply = (...ds: PropertyDecorator[]) => (t: object, k: string | symbol) => ds.forEach((d) => d(t, k));

export class UpdateTemplateDto extends FormDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 100) nameZh?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 2000) description?: string;
  @ApiPropertyOptional() @apply(...optionalInt) requiredA?: number;
  @ApiPropertyOptional() @apply(...optionalInt) requiredB?: number;
  @ApiPropertyOptional() @apply(...optionalInt) requiredC?: number;
  @ApiPropertyOptional({ description: 'due N days after the quarter start; empty = quarter end' })
  @IsOptional() @Transform(({ value }) => (value === '' ? null : value)) @Type(() => Number) @IsInt() @Min(1) @Max(92) dueDays?: number | null;
  @ApiPropertyOptional() @apply(...optionalInt) hoursA?: number;
  @ApiPropertyOptional() @apply(...optionalInt) hoursB?: number;
  @ApiPropertyOptional() @apply(...optionalInt) hoursC?: number;
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => { const v = Array.isArray(value) ? value[value.length - 1] : value; return v === true || v === 'true' || v === 'on'; }) @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ type: [String] }) @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(/[\s,;]+/).filter(Boolean) : value)) @IsString({ each: true }) recordTypes?: string[];
}

export class RecordLagDto extends FormDto {
  @ApiProperty() @Type(() => Number) @IsInt({ message: 'duties:errors.lagHours' }) @Min(1, { message: 'duties:errors.lagHours' }) @Max(1440, { message: 'duties:errors.lagHours' }) recordEntryLagHours: number;
}
