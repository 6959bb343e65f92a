import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { FormDto } from '../../core/web/form.dto';
import { SUPPORT_KINDS } from './support.util';

export class CreateSupportRequestDto extends FormDto {
  @IsIn(SUPPORT_KINDS, { message: 'support:validation.kind' }) kind: string;
  @IsString() @Length(1, 200, { message: 'support:validation.subject' }) subject: string;
  @IsString() @Length(1, 5000, { message: 'support:validation.description' }) description: string;
  /** one of the partner's own customers, when the request is about one */
  @ApiPropertyOptional() @IsOptional() @Transform(({ obj }) => (obj.customerId === '' || obj.customerId === null || obj.customerId === undefined ? undefined : Number(obj.customerId))) @IsInt() @Min(1) customerId?: number;
}

export class AnswerSupportRequestDto extends FormDto {
  @IsString() @Length(1, 5000, { message: 'support:validation.answer' }) answer: string;
}

export class RateSupportRequestDto extends FormDto {
  @Type(() => Number) @IsInt({ message: 'support:validation.rating' }) @Min(1, { message: 'support:validation.rating' }) @Max(5, { message: 'support:validation.rating' }) rating: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 2000) comment?: string;
}
