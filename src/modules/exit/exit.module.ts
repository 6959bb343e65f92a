import { Module } from '@nestjs/common';

/** exit: see README module map. */
@Module({})
export class ExitModule {}
