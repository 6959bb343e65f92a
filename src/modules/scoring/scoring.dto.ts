import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { toOptionalInt, toBoolean } from '../../core/web/form-values';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { INDICATOR_FAMILIES, INDICATOR_METHODS } from './score.util';


export class OpenPeriodDto {
  @ApiProperty({ example: '2026Q3' }) @Matches(/^\d{4}Q[1-4]$/, { message: 'scoring:errors.periodFormat' }) period: string;
  @ApiPropertyOptional({ default: 7 }) @IsOptional() @Transform(toOptionalInt) @IsInt() @Min(0) @Max(90) disputeWindowDays?: number;
}

export class LineEditDto {
  @ApiProperty() @IsString() @MaxLength(40) indicatorCode: string;
  @ApiProperty({ example: '85.50' }) @IsString() @MaxLength(10) score: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

export class SaveLinesDto {
  @ApiProperty({ type: [LineEditDto] }) @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => LineEditDto) lines: LineEditDto[];
  @ApiPropertyOptional({ description: 'optimistic lock: the version you read' }) @IsOptional() @Transform(toOptionalInt) @IsInt() version?: number;
}

export class ScoringReasonDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(2000) reason: string;
}

export class OptionalReasonDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class ResolveDisputeDto {
  @ApiProperty({ enum: ['adjust', 'reject'] }) @IsIn(['adjust', 'reject']) resolution: 'adjust' | 'reject';
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(2000) reason: string;
  @ApiPropertyOptional({ type: [LineEditDto] }) @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => LineEditDto) lines?: LineEditDto[];
}

export class ConfirmDto {
  @ApiPropertyOptional({ description: 'confirm although the dispute window is still open (needs reason)' }) @IsOptional() @Transform(toBoolean) @IsBoolean() withinWindow?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) reason?: string;
  @ApiPropertyOptional({ description: 'optimistic lock: the version you read' }) @IsOptional() @Transform(toOptionalInt) @IsInt() version?: number;
}

export class IndicatorDto {
  @ApiProperty() @Matches(/^[A-Z0-9_]{2,40}$/) code: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @ApiProperty({ enum: INDICATOR_FAMILIES }) @IsIn(INDICATOR_FAMILIES as unknown as string[]) family: string;
  @ApiProperty({ example: '15.00' }) @IsString() @MaxLength(6) weight: string;
  @ApiProperty({ enum: INDICATOR_METHODS }) @IsIn(INDICATOR_METHODS as unknown as string[]) method: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) deductionKinds?: string[];
}

export class CreateSchemeDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) note?: string;
  @ApiProperty({ type: [IndicatorDto] }) @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => IndicatorDto) indicators: IndicatorDto[];
}
