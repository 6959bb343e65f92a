import { Module } from '@nestjs/common';

/** customers: see README module map. */
@Module({})
export class CustomersModule {}
