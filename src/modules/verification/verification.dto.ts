import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { FormDto } from '../../core/web/form.dto';
import { toOptionalInt } from '../../core/web/form-values';
import { METHODS, OUTCOMES } from './verification.service';

export class DrawSampleDto extends FormDto {
  @ApiProperty({ example: '2026Q3' }) @IsString() @Matches(/^\d{4}Q[1-4]$/, { message: 'errors:period.invalid' }) period: string;
  @ApiPropertyOptional({ description: 'only this partner (default: every partner with records in the quarter)' })
  @IsOptional() @Transform(toOptionalInt) @IsInt() @Min(1) partnerId?: number;
}

export class VerificationOutcomeDto extends FormDto {
  @ApiProperty({ enum: OUTCOMES }) @IsIn([...OUTCOMES], { message: 'verification:errors.outcome' }) outcome: string;
  @ApiProperty({ enum: METHODS }) @IsIn([...METHODS], { message: 'verification:errors.method' }) method: string;
  @ApiPropertyOptional({ description: 'required when not confirmed (what the customer said)' }) @IsOptional() @IsString() @MaxLength(2000, { message: 'verification:errors.noteLength' }) note?: string;
}

export class VerificationCorrectionDto extends VerificationOutcomeDto {
  @ApiProperty({ description: 'why the outcome is corrected (audited)' }) @IsString() @MaxLength(500, { message: 'verification:errors.correctionReasonLength' }) reason: string;
}
