import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { toOptionalInt, toBooleanBlankUnset } from '../../core/web/form-values';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { FormDto } from '../../core/web/form.dto';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class ExitReasonDto extends FormDto {
  @ApiProperty() @IsString() @MaxLength(2000) reason: string;
}

export class VoluntaryExitDto extends FormDto {
  @ApiProperty() @IsString() @MaxLength(2000) note: string;
}

export class EvaluateDto extends FormDto {
  @ApiPropertyOptional({ example: '2026Q3' }) @IsOptional() @Matches(/^(\d{4}Q[1-4])?$/) period?: string;
}

export class AssignReceiverDto extends FormDto {
  @ApiPropertyOptional() @IsOptional() @Transform(toOptionalInt) @IsInt() @Min(1) partnerId?: number;
  @ApiPropertyOptional() @IsOptional() @Transform(toOptionalInt) @IsInt() @Min(1) managerUserId?: number;
  @ApiProperty({ example: '2026-11-25' }) @Matches(DATE, { message: 'exit:validation.effectiveOn' }) effectiveOn: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) reason?: string;
  /** a manager's reason to hand the customer over beyond the receiver's tier quota or outside its regions */
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) overrideReason?: string;
}

export class ChecklistDto extends FormDto {
  @ApiPropertyOptional() @IsOptional() @Transform(toBooleanBlankUnset) @IsBoolean() documentsTransferred?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(toBooleanBlankUnset) @IsBoolean() openRecordsTransferred?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(toBooleanBlankUnset) @IsBoolean() arrearsListTransferred?: boolean;
  @ApiPropertyOptional({ description: 'date, or empty to clear' }) @IsOptional() @Matches(/^(\d{4}-\d{2}-\d{2})?$/) customerInformedOn?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toBooleanBlankUnset) @IsBoolean() receiverAcknowledged?: boolean;
}

export class CompleteExitDto extends FormDto {
  @ApiPropertyOptional({ example: '2026-11-25' }) @IsOptional() @Matches(/^(\d{4}-\d{2}-\d{2})?$/) exitDate?: string;
  @ApiPropertyOptional({ description: 'settle with this Y instead of the last confirmed one (needs scoreReason)' }) @IsOptional() @Matches(/^(\d{1,3}(\.\d{1,2})?)?$/) scoreY?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) scoreReason?: string;
  @ApiPropertyOptional({ description: 'admin only: complete while the partner may still respond (EXIT_RESPONSE_DAYS), with this reason' }) @IsOptional() @IsString() @MaxLength(1000) overrideReason?: string;
}

export class ExitRulesDto extends FormDto {
  @IsOptional() @Transform(toBooleanBlankUnset) @IsBoolean() majorViolationEnabled?: boolean;
  @IsOptional() @Transform(toBooleanBlankUnset) @IsBoolean() scoreFloorEnabled?: boolean;
  @IsOptional() @IsString() scoreFloor?: string;
  @IsOptional() @Transform(toBooleanBlankUnset) @IsBoolean() consecutiveLowEnabled?: boolean;
  @IsOptional() @IsString() lowScoreBelow?: string;
  @IsOptional() @Transform(toOptionalInt) @IsInt() consecutiveLowQuarters?: number;
  @IsOptional() @Transform(toBooleanBlankUnset) @IsBoolean() contractEndEnabled?: boolean;
}
