import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { IdempotencyRecordEntity, type IdempotencyState } from './idempotency-record.entity';

export interface NewIdempotencyRecord {
  scope: string;
  idempotencyKey: string;
  fingerprint: string;
  clientOrderId: string;
  brokerId: string;
}

/** Idempotency records in the database (per API key), the state every replica sees. */
@Injectable()
export class IdempotencyStore {
  constructor(
    @InjectRepository(IdempotencyRecordEntity) private readonly records: Repository<IdempotencyRecordEntity>,
  ) {}

  find(scope: string, idempotencyKey: string): Promise<IdempotencyRecordEntity | null> {
    return this.records.findOneBy({ scope, idempotencyKey });
  }

  /**
   * Claims the key with a PENDING record. False when a record already exists (another replica was first):
   * the primary key decides, whatever the driver's error looks like.
   */
  async claim(record: NewIdempotencyRecord): Promise<boolean> {
    const now = new Date();
    try {
      await this.records.insert({ ...record, state: 'PENDING', statusCode: null, responseBody: null, createdAt: now, updatedAt: now });
      return true;
    } catch (error) {
      if ((await this.find(record.scope, record.idempotencyKey)) !== null) return false;
      throw error;
    }
  }

  setState(scope: string, idempotencyKey: string, state: IdempotencyState): Promise<unknown> {
    return this.records.update({ scope, idempotencyKey }, { state, updatedAt: new Date() });
  }

  /** Stores the answer every repeat of the key gets from now on. */
  complete(scope: string, idempotencyKey: string, statusCode: number, body: unknown): Promise<unknown> {
    return this.records.update(
      { scope, idempotencyKey },
      { state: 'COMPLETED', statusCode, responseBody: JSON.stringify(body), updatedAt: new Date() },
    );
  }

  /** Frees the key: nothing reached the broker, so the same key may be used again for anything. */
  release(scope: string, idempotencyKey: string): Promise<unknown> {
    return this.records.delete({ scope, idempotencyKey });
  }
}
