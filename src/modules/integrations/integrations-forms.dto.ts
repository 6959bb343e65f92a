import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { FormDto } from '../../core/web/form.dto';

/** The admin pages' forms: text of bounded length where text belongs (lists may repeat a field); the service checks meaning. */
export class AccountForm extends FormDto {
  @IsString() @MaxLength(100) name: string;
  @IsString() @MaxLength(100) owner: string;
  @IsString() @MaxLength(2000) purpose: string;
}

export class TokenForm extends FormDto {
  @IsOptional() @IsString({ each: true }) @MaxLength(40, { each: true }) scopes?: string | string[];
  @IsOptional() @IsString() @Matches(/^\d{0,4}$/) days?: string;
  @IsOptional() @IsString() @Matches(/^\d{0,6}$/) ratePerMinute?: string;
}

export class RotateForm extends FormDto {
  @IsOptional() @IsString() @Matches(/^\d{0,4}(\.\d{1,2})?$/) overlapHours?: string;
}

export class WebhookForm extends FormDto {
  @IsString() @MaxLength(2000) url: string;
  @IsOptional() @IsString({ each: true }) @MaxLength(60, { each: true }) events?: string | string[];
}
