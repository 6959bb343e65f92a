import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt } from 'class-validator';
import { FormDto } from '../../web/form.dto';

/** A channel manager's regions (#17): prefecture ids from the region list; empty = province-level. */
export class UserRegionsDto extends FormDto {
  @ApiProperty({ type: [Number], description: 'prefecture ids (GET /api/regions); [] makes the manager province-level' })
  @IsArray() @ArrayMaxSize(100) @Type(() => Number) @IsInt({ each: true })
  regionIds: number[];
}
