import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { FormDto } from '../../core/web/form.dto';
import { toOptionalInt } from '../../core/web/form-values';
import { OUTCOMES } from './retention-rules.util';

export class CloseWarningDto extends FormDto {
  @ApiProperty({ enum: OUTCOMES }) @IsIn([...OUTCOMES], { message: 'retention:errors.outcome' }) outcome: string;
  @ApiPropertyOptional({ description: 'required when lost (流失原因)' }) @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class RetentionEvaluateDto extends FormDto {
  @ApiProperty({ example: '2026Q3' }) @IsString() @Matches(/^\d{4}Q[1-4]$/, { message: 'errors:period.invalid' }) period: string;
}

export class RetentionSettingsDto extends FormDto {
  @ApiProperty({ example: '30' }) @IsString() accrualDropPercent: string;
  @ApiProperty({ example: 14 }) @Transform(toOptionalInt) @IsInt() taskDays: number;
}
