import { Module } from '@nestjs/common';

/** duties: see README module map. */
@Module({})
export class DutiesModule {}
