import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { FormDto } from '../../core/web/form.dto';

/**
 * The finance pages' forms: every field is text of a bounded length (an array or object where text belongs is
 * refused with the field's message instead of failing deep inside a service); the services check the meaning.
 */
export class RunForm extends FormDto {
  @Matches(/^\d{4}Q[1-4]$/, { message: 'settlement:validation.period' }) period: string;
  @IsOptional() @IsString() @MaxLength(10) supplementary?: string;
  @IsOptional() @IsString() @MaxLength(20_000) overrides?: string;
}

export class ApproveForm extends FormDto {
  @IsString() @MaxLength(2000) comment: string;
  @IsOptional() @IsString() @Matches(/^\d{0,9}$/) version?: string;
  /** ids of the flagged lines the approver ticked (one checkbox each) */
  @IsOptional() @Matches(/^\d{1,18}$/, { each: true }) acknowledge?: string | string[];
}

export class AdjustmentDecisionForm extends FormDto {
  @IsIn(['approve', 'reject']) decision: string;
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class ReasonForm extends FormDto {
  @IsString() @MaxLength(2000) reason: string;
}

export class CommentForm extends FormDto {
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

/** Marking lines paid (#16): one reference and date for all unpaid lines or the ticked ones. */
export class PayLinesForm extends FormDto {
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;
  @IsOptional() @IsString() @MaxLength(40) paidOn?: string;
  @IsOptional() @IsIn(['all', 'selected']) scope?: string;
  @IsOptional() @Matches(/^\d{1,18}$/, { each: true }) line?: string | string[];
}

export class AdjustmentForm extends FormDto {
  @IsString() @MaxLength(40) partnerCode: string;
  @IsString() @MaxLength(40) amount: string;
  @IsString() @MaxLength(40) kind: string;
  @IsString() @MaxLength(2000) reason: string;
  @IsString() @MaxLength(120) reference: string;
}

export class InquiryAnswerForm extends FormDto {
  @IsIn(['accept', 'reject']) decision: string;
  @IsString() @MaxLength(2000) answer: string;
}
