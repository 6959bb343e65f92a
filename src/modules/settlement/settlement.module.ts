import { Module } from '@nestjs/common';

/** settlement: see README module map. */
@Module({})
export class SettlementModule {}
