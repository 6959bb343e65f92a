import { Global, Module } from '@nestjs/common';
import { JobQueue } from './job-queue.service';
import { JobWork } from './job-work.service';
import { JobsController } from './jobs.controller';

/** The durable job queue, for every module (global): enqueue in a transaction, define handlers, schedules, long work with uploads. */
@Global()
@Module({ controllers: [JobsController], providers: [JobQueue, JobWork], exports: [JobQueue, JobWork] })
export class JobsModule {}
