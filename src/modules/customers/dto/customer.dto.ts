import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Min } from 'class-validator';
import { CUSTOMER_CLASSES, CUSTOMER_STAGES } from '../customer-rules.util';
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

const blankToUndefined = ({ value }: { value: unknown }) => (value === '' || value === null ? undefined : value);

/** A new customer (#17), page form and API; the holding partner (optional) goes through the assignment rules. */
export class NewCustomerDto extends FormDto {
  @ApiProperty() @IsString() @Length(0, 40, { message: 'customers:csv.codeFormat' }) code: string;
  @ApiProperty() @IsString() @Length(0, 200, { message: 'customers:edit.errors.name' }) name: string;
  @ApiProperty() @IsString() @Length(0, 100, { message: 'customers:edit.errors.industry' }) industry: string;
  @ApiProperty({ description: 'a name of the region list (/api/regions); known spellings are mapped' }) @IsString() @Length(0, 100) region: string;
  @ApiProperty({ enum: CUSTOMER_CLASSES }) @IsString() @Length(0, 1, { message: 'customers:csv.class' }) customerClass: string;
  @ApiPropertyOptional({ enum: CUSTOMER_STAGES }) @IsOptional() @IsString() @Length(0, 20) stage?: string;
  @ApiPropertyOptional({ description: 'the holding partner' }) @IsOptional() @Transform(blankToUndefined) @Type(() => Number) @IsInt({ message: 'customers:errors.chooseHolder' }) @Min(1) partnerId?: number;
  @ApiPropertyOptional({ format: 'date', description: 'the partner holds it from this day (default today)' }) @IsOptional() @IsString() @Length(0, 10) effectiveOn?: string;
  @ApiPropertyOptional({ description: 'a manager\'s reason to assign beyond the tier quota or outside the regions' }) @IsOptional() @IsString() @Length(0, 500) overrideReason?: string;
}

/** Name, industry and region of a customer (#17): a field left out stays as it is. */
export class CustomerEditDto extends FormDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 200, { message: 'customers:edit.errors.name' }) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 100, { message: 'customers:edit.errors.industry' }) industry?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 100) region?: string;
  @ApiPropertyOptional({ description: 'why (kept with each history row)' }) @IsOptional() @IsString() @Length(0, 500) reason?: string;
}

/** Class A/B/C with a reason (#17); the open checklist items' due dates follow the new class's time limit. */
export class ClassChangeDto extends FormDto {
  @ApiProperty({ enum: CUSTOMER_CLASSES }) @IsString() @Length(0, 1, { message: 'customers:csv.class' }) customerClass: string;
  @ApiProperty() @IsString() @Length(0, 500, { message: 'customers:edit.errors.classReason' }) classReason: string;
}
