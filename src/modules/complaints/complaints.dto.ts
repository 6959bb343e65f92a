import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, MaxLength, Min } from 'class-validator';
import { FormDto } from '../../core/web/form.dto';
import { toOptionalInt } from '../../core/web/form-values';
import { COMPLAINT_CATEGORIES, COMPLAINT_KINDS, SATISFACTIONS } from './complaint-rules.util';

export class OpenComplaintDto extends FormDto {
  @ApiProperty() @Transform(toOptionalInt) @IsInt() @Min(1) customerId: number;
  @ApiProperty({ enum: COMPLAINT_KINDS }) @IsIn([...COMPLAINT_KINDS], { message: 'complaints:errors.kind' }) kind: string;
  @ApiProperty({ enum: COMPLAINT_CATEGORIES }) @IsIn([...COMPLAINT_CATEGORIES], { message: 'complaints:errors.category' }) category: string;
  @ApiProperty() @IsString() @MaxLength(4000) description: string;
  @ApiPropertyOptional({ example: '2026-11-27T09:30', description: 'when the customer complained (business time zone); default now' })
  @IsOptional() @IsString() @MaxLength(40) receivedAt?: string;
}

export class ResolveComplaintDto extends FormDto {
  @ApiProperty({ description: '根本原因 root cause' }) @IsString() @MaxLength(2000) rootCause: string;
  @ApiProperty({ description: '整改措施 corrective action' }) @IsString() @MaxLength(2000) correctiveAction: string;
}

export class VisitComplaintDto extends FormDto {
  @ApiProperty({ enum: SATISFACTIONS }) @IsIn([...SATISFACTIONS], { message: 'complaints:errors.satisfaction' }) satisfaction: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class EscalateComplaintDto extends FormDto {
  @ApiProperty() @IsString() @Length(1, 2000) reason: string;
}

export class EmptyFormDto extends FormDto {}

export class ComplaintSettingsDto extends FormDto {
  @ApiProperty() @Transform(toOptionalInt) @IsInt() returnVisitDays: number;
  @ApiProperty({ example: '98' }) @IsString() @Matches(/^\d{1,3}(\.\d{1,2})?$/, { message: 'complaints:errors.target' }) timelinessTarget: string;
}
