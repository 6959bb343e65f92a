import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { FormDto } from '../../core/web/form.dto';
import { STAFF_ROLES } from './staff.util';

export class StaffMemberDto extends FormDto {
  @IsString() @Length(1, 60, { message: 'staff:validation.name' }) name: string;
  @IsString() @Length(5, 20, { message: 'staff:validation.phone' }) phone: string;
  @IsIn(STAFF_ROLES, { message: 'staff:validation.role' }) role: string;
  /** forms send "on" for a ticked box and nothing otherwise; JSON sends a boolean */
  @ApiPropertyOptional() @IsOptional() @Transform(({ obj }) => (obj.active === undefined ? undefined : obj.active === true || obj.active === 'on' || obj.active === 'true')) @IsBoolean() active?: boolean;
}

export class CourseDto extends FormDto {
  @IsString() @Matches(/^[A-Za-z0-9-]{2,30}$/, { message: 'staff:validation.courseCode' }) code: string;
  @IsString() @Length(1, 120, { message: 'staff:validation.courseTitle' }) title: string;
  @IsString() @Matches(/^\d{1,3}(\.\d{1,2})?$/, { message: 'staff:validation.score' }) passScore: string;
  @Type(() => Number) @IsInt({ message: 'staff:validation.months' }) @Min(1, { message: 'staff:validation.months' }) @Max(120, { message: 'staff:validation.months' }) validityMonths: number;
}

export class ExamDto extends FormDto {
  @Type(() => Number) @IsInt({ message: 'staff:validation.course' }) @Min(1, { message: 'staff:validation.course' }) courseId: number;
  @IsISO8601({ strict: true }, { message: 'staff:validation.date' }) takenOn: string;
  @IsString() @Matches(/^\d{1,3}(\.\d{1,2})?$/, { message: 'staff:validation.score' }) score: string;
}

export class RevokeDto extends FormDto {
  @IsString() @Length(1, 500, { message: 'staff:validation.reason' }) reason: string;
}
