import { ApiHideProperty, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === '' || value === null || value === undefined ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : value === true || value === 'true' || value === 'on' || value === '1');
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** HTML forms send the CSRF token as a body field; the global pipe refuses unknown fields, so form DTOs accept it. */
export abstract class FormDto {
  @ApiHideProperty() @IsOptional() @IsString() _csrf?: string;
}

export class ReasonDto extends FormDto {
  @ApiProperty() @IsString() @MaxLength(2000) reason: string;
}

export class VoluntaryExitDto extends FormDto {
  @ApiProperty() @IsString() @MaxLength(2000) note: string;
}

export class EvaluateDto extends FormDto {
  @ApiPropertyOptional({ example: '2026Q3' }) @IsOptional() @Matches(/^(\d{4}Q[1-4])?$/) period?: string;
}

export class AssignReceiverDto extends FormDto {
  @ApiPropertyOptional() @IsOptional() @Transform(toInt) @IsInt() @Min(1) partnerId?: number;
  @ApiPropertyOptional() @IsOptional() @Transform(toInt) @IsInt() @Min(1) managerUserId?: number;
  @ApiProperty({ example: '2026-11-25' }) @Matches(DATE, { message: 'effectiveOn must be a date like 2026-11-25' }) effectiveOn: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class ChecklistDto extends FormDto {
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() documentsTransferred?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() openRecordsTransferred?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() arrearsListTransferred?: boolean;
  @ApiPropertyOptional({ description: 'date, or empty to clear' }) @IsOptional() @Matches(/^(\d{4}-\d{2}-\d{2})?$/) customerInformedOn?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toBool) @IsBoolean() receiverAcknowledged?: boolean;
}

export class CompleteExitDto extends FormDto {
  @ApiPropertyOptional({ example: '2026-11-25' }) @IsOptional() @Matches(/^(\d{4}-\d{2}-\d{2})?$/) exitDate?: string;
  @ApiPropertyOptional({ description: 'settle with this Y instead of the last confirmed one (needs scoreReason)' }) @IsOptional() @Matches(/^(\d{1,3}(\.\d{1,2})?)?$/) scoreY?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) scoreReason?: string;
}

export class ExitRulesDto extends FormDto {
  @IsOptional() @Transform(toBool) @IsBoolean() majorViolationEnabled?: boolean;
  @IsOptional() @Transform(toBool) @IsBoolean() scoreFloorEnabled?: boolean;
  @IsOptional() @IsString() scoreFloor?: string;
  @IsOptional() @Transform(toBool) @IsBoolean() consecutiveLowEnabled?: boolean;
  @IsOptional() @IsString() lowScoreBelow?: string;
  @IsOptional() @Transform(toInt) @IsInt() consecutiveLowQuarters?: number;
  @IsOptional() @Transform(toBool) @IsBoolean() contractEndEnabled?: boolean;
}

export class ProposalQueryDto {
  @IsOptional() @IsIn(['proposed', 'approved', 'dismissed', 'completed', '']) status?: string;
}
