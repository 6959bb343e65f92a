import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Min } from 'class-validator';
import { CUSTOMER_STAGES } from '../customer-rules.util';
import { FormDto } from '../../../core/web/form.dto';

export class ReassignDto extends FormDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) partnerId?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) managerUserId?: number;
  @IsISO8601({ strict: true }) effectiveOn: string;
  @IsString() @Length(1, 500) reason: string;
  /** a channel manager's or admin's reason to assign beyond the partner's tier quota or outside its regions */
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 500) overrideReason?: string;
}

export class ChangeStageDto extends FormDto {
  @IsIn(CUSTOMER_STAGES) stage: string;
  @IsISO8601({ strict: true }) effectiveOn: string;
  @IsString() @Length(1, 500) reason: string;
}

/** The page form picks a holder from one list: "p:<partnerId>" or "m:<managerUserId>". */
export class ReassignFormDto extends FormDto {
  @IsString() @Length(3, 20) holder: string;
  @IsISO8601({ strict: true }) effectiveOn: string;
  @IsString() @Length(1, 500) reason: string;
  @IsOptional() @IsString() @Length(0, 500) overrideReason?: string;
}

/**
 * The page's stage form. Its fields are named apart from the reassign form's on the same page, so a refused form
 * comes back only into the form that was sent.
 */
export class ChangeStageFormDto extends FormDto {
  @IsIn(CUSTOMER_STAGES, { message: 'customers:validation.stage' }) stage: string;
  @IsISO8601({ strict: true }, { message: 'customers:validation.date' }) stageOn: string;
  @IsString() @Length(1, 500, { message: 'customers:validation.reason' }) stageReason: string;
}
