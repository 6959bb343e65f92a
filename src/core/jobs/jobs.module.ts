import { Global, Module } from '@nestjs/common';
import { JobQueue } from './job-queue.service';
import { JobsController } from './jobs.controller';

/** The durable job queue, for every module (global): enqueue in a transaction, define handlers, schedules. */
@Global()
@Module({ controllers: [JobsController], providers: [JobQueue], exports: [JobQueue] })
export class JobsModule {}
