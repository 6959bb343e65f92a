import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { MANUAL_ADJUSTMENT_KINDS, ManualAdjustmentKind } from './settlement.entities';

export class RunBatchDto {
  @ApiProperty({ example: '2026Q3' }) @Matches(/^\d{4}Q[1-4]$/, { message: 'settlement:validation.period' }) period: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() supplementary?: boolean;
  @ApiPropertyOptional({ description: 'partnerId -> reason: settle at P = 1 without a confirmed score sheet' }) @IsOptional() @IsObject() overrides?: Record<string, string>;
}

export class ApproveBatchDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(2000) comment: string;
  @ApiPropertyOptional({ description: 'the batch version you reviewed; a changed batch is refused with 409' }) @IsOptional() @IsInt() version?: number;
  @ApiPropertyOptional({ type: [String], description: 'ids of the lines flagged for a second look that you checked (all must be ticked)' }) @IsOptional() @IsArray() @ArrayMaxSize(5000) @Matches(/^\d{1,18}$/, { each: true }) acknowledge?: string[];
}

export class AdjustmentDto {
  @ApiProperty() @IsInt() partnerId: number;
  @ApiProperty({ example: '-500.00' }) @IsString() amount: string;
  /** carry-forward and inquiry lines are written by the system only */
  @ApiProperty({ enum: MANUAL_ADJUSTMENT_KINDS }) @IsIn(MANUAL_ADJUSTMENT_KINDS as unknown as string[]) kind: ManualAdjustmentKind;
  @ApiProperty() @IsString() @MinLength(1) reason: string;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(120) reference: string;
}

export class InquiryDto {
  @ApiProperty() @IsInt() lineId: number;
  @ApiProperty({ example: '120.00' }) @IsString() amount: string;
  @ApiProperty() @IsString() @MinLength(1) reason: string;
}
