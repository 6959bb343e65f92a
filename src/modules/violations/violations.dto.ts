import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { toOptionalInt, toBoolean } from '../../core/web/form-values';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { FormDto } from '../../core/web/form.dto';


export class RecordViolationDto extends FormDto {
  @ApiProperty() @Transform(toOptionalInt) @IsInt() @Min(1) partnerId: number;
  @ApiPropertyOptional() @IsOptional() @Transform(toOptionalInt) @IsInt() @Min(1) customerId?: number;
  @ApiProperty({ example: '2026-11-20' }) @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'violations:errors.occurredOnFormat' }) occurredOn: string;
  @ApiProperty() @Transform(toOptionalInt) @IsInt() @Min(1) kindId: number;
  @ApiProperty() @IsString() @MaxLength(4000) description: string;
  @ApiPropertyOptional({ description: 'document names, one per line or comma separated (or an array)' })
  @IsOptional() evidenceNames?: string | string[];
}

export class VoidViolationDto extends FormDto {
  @ApiProperty() @IsString() @MaxLength(2000) reason: string;
}

export class RespondViolationDto extends FormDto {
  @ApiProperty() @IsString() @MaxLength(4000) response: string;
}

export class ViolationKindDto extends FormDto {
  @ApiPropertyOptional({ description: 'only when creating' }) @IsOptional() @IsString() @MaxLength(40) code?: string;
  @ApiProperty() @IsString() @MaxLength(200) name: string;
  @ApiProperty({ enum: ['minor', 'major'] }) @IsIn(['minor', 'major']) severity: string;
  @ApiProperty({ example: '5.00' }) @IsString() scoreDeduction: string;
  @ApiPropertyOptional({ example: '1000.00' }) @IsOptional() @IsString() penaltyAmount?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(toBoolean) @IsBoolean() active?: boolean;
}

export class ViolationSettingDto extends FormDto {
  @ApiProperty() @Transform(toOptionalInt) @IsInt() responseDays: number;
}

export class ViolationQueryDto {
  @IsOptional() @Transform(toOptionalInt) @IsInt() partnerId?: number;
  @IsOptional() @IsIn(['recorded', 'voided', '']) status?: string;
  @IsOptional() @IsIn(['minor', 'major', '']) severity?: string;
  @IsOptional() @Transform(toOptionalInt) @IsInt() kindId?: number;
  @IsOptional() @IsString() from?: string;
  @IsOptional() @IsString() to?: string;
}
