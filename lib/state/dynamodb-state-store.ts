/**
 * The StateStore on AWS: one DynamoDB table (see state-table.ts). A key `status/Kustomization/a/b`
 * is the head item pk=`status`, sk=`Kustomization/a/b`, holding the version, a random write id,
 * the expiry and the value (as JSON text, as gzip, or as the count of its chunk items).
 *
 * Every write is one conditional PutItem or DeleteItem on the head, so versions are atomic. A
 * chunked value's chunks are written first, under names that include the new version and the write
 * id, and the head is written last: a reader sees the old value or the new one, never a mix, and a
 * writer that loses the condition deletes only its own chunks. The replaced version's chunks are
 * deleted after the head moved on.
 *
 * TTL: `expiresAt` holds epoch seconds, rounded up, for DynamoDB's own sweeper, which may run days
 * late; `expiresAtMs` holds the exact expiry and every read filters on it against the clock.
 */
import { randomBytes } from 'node:crypto';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { ChunkStore, StateChunksMissingError } from './chunk-store.ts';
import {
  checkIfVersion,
  checkPutOptions,
  expiryOf,
  isLive,
  queryLimit,
  serialiseValue,
} from './item-rules.ts';
import type { PackedValue } from './packed-value.ts';
import { packValue, unpackGzip } from './packed-value.ts';
import type { DeleteOptions, PutOptions, QueryOptions, StateStore, StoredItem } from './state-store.ts';
import { StateConflictError, splitItemKey, splitKey } from './state-store.ts';
import { stateTableLayout } from './state-table.ts';

export interface DynamoDbStateStoreOptions {
  /** The caller owns the client: close() leaves it open. */
  client: DynamoDBClient;
  tableName: string;
  /** The clock, in epoch milliseconds; tests pin it to step over TTLs. */
  now?: () => number;
}

type Item = Record<string, AttributeValue>;

const { partitionKey: PK, sortKey: SK, timeToLiveAttribute: TTL } = stateTableLayout;
/** Conditions and filters name attributes through placeholders; these are the ones in use. */
const NAMES = { '#pk': PK, '#version': 'version', '#writeId': 'writeId', '#expiresAtMs': 'expiresAtMs' };
const LIVE = '(attribute_not_exists(#expiresAtMs) OR #expiresAtMs > :now)';
/** An unconditional put re-reads and retries when another writer slipped in between. */
const PUT_ATTEMPTS = 10;
/** A reader that finds a head's chunks gone (replaced meanwhile) re-reads the head. */
const READ_ATTEMPTS = 5;

export class DynamoDbStateStore implements StateStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;
  readonly #now: () => number;
  readonly #chunks: ChunkStore;

  constructor(options: DynamoDbStateStoreOptions) {
    this.#client = options.client;
    this.#table = options.tableName;
    this.#now = options.now ?? Date.now;
    this.#chunks = new ChunkStore(options.client, options.tableName);
  }

  async get<T = unknown>(key: string): Promise<StoredItem<T> | undefined> {
    const { partition, rest } = splitItemKey(key);
    for (let attempt = 1; ; attempt++) {
      const head = await this.#head(partition, rest);
      if (head === undefined || !isLive(expiresAtMs(head), this.#now())) return undefined;
      const item = await this.#toItem<T>(key, head);
      if (item !== undefined) return item;
      if (attempt === READ_ATTEMPTS) throw new StateChunksMissingError(key);
    }
  }

  async put<T = unknown>(key: string, value: T, options: PutOptions = {}): Promise<StoredItem<T>> {
    const { partition, rest } = splitItemKey(key);
    checkPutOptions(key, options);
    const packed = await packValue(serialiseValue(key, value));
    for (let attempt = 1; ; attempt++) {
      const now = this.#now();
      const plan = await this.#plan(partition, rest, options, now);
      const writeId = randomBytes(8).toString('hex');
      const expiresAt = expiryOf(now, options);
      if (packed.kind === 'chunks') {
        await this.#chunks.write(partition, rest, plan.version, writeId, packed.chunks, expiresAt);
      }
      try {
        const { Attributes: old } = await this.#client.send(
          new PutItemCommand({
            TableName: this.#table,
            Item: headItem(partition, rest, plan.version, writeId, packed, expiresAt),
            ConditionExpression: plan.condition,
            ExpressionAttributeNames: pick(plan.condition),
            ExpressionAttributeValues: plan.values,
            ReturnValues: 'ALL_OLD',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        if (old !== undefined) await this.#chunks.dropQuietly(partition, rest, old);
        return stored(key, value, plan.version, expiresAt);
      } catch (error) {
        // Any other failure may have reached the table (a timeout after the write): the new
        // chunks may be live, so they stay. Only a refused condition proves they are not.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        if (error.Item?.writeId?.S === writeId) {
          // The SDK retried a put that had already landed; the condition refused our own write.
          return stored(key, value, plan.version, expiresAt);
        }
        if (packed.kind === 'chunks') {
          await this.#chunks.drop(partition, rest, plan.version, writeId, packed.chunks.length);
        }
        if (plan.conflict !== undefined) throw new StateConflictError(key, plan.conflict, { cause: error });
        if (attempt === PUT_ATTEMPTS) {
          throw new StateConflictError(key, 'no concurrent writer', { cause: error });
        }
        // A short random pause, so that writers who keep colliding fall out of step.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
      }
    }
  }

  async delete(key: string, options: DeleteOptions = {}): Promise<boolean> {
    const { partition, rest } = splitItemKey(key);
    checkIfVersion('delete', key, options.ifVersion);
    const now = this.#now();
    const conditional = options.ifVersion !== undefined;
    try {
      const { Attributes: old } = await this.#client.send(
        new DeleteItemCommand({
          TableName: this.#table,
          Key: headKey(partition, rest),
          ReturnValues: 'ALL_OLD',
          ...(conditional && {
            ConditionExpression: `#version = :version AND ${LIVE}`,
            ExpressionAttributeNames: pick(`#version ${LIVE}`),
            ExpressionAttributeValues: { ':version': num(options.ifVersion!), ':now': num(now) },
          }),
        }),
      );
      if (old === undefined) return false;
      await this.#chunks.dropQuietly(partition, rest, old);
      return isLive(expiresAtMs(old), now);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new StateConflictError(key, `version ${options.ifVersion}`, { cause: error });
      }
      throw error;
    }
  }

  async query<T = unknown>(prefix: string, options: QueryOptions = {}): Promise<StoredItem<T>[]> {
    const { partition, rest } = splitKey(prefix);
    const limit = queryLimit(options);
    const items: StoredItem<T>[] = [];
    let startKey: Item | undefined;
    while (limit === undefined || items.length < limit) {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: rest === '' ? '#pk = :pk' : '#pk = :pk AND begins_with(#sk, :rest)',
          FilterExpression: LIVE,
          ExpressionAttributeNames: { ...pick(`#pk ${LIVE}`), ...(rest !== '' && { '#sk': SK }) },
          ExpressionAttributeValues: {
            ':pk': { S: partition },
            ':now': num(this.#now()),
            ...(rest !== '' && { ':rest': { S: rest } }),
          },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          ...(limit !== undefined && { Limit: limit - items.length }),
        }),
      );
      for (const head of page.Items ?? []) {
        const key = `${partition}/${head[SK]!.S!}`;
        // Chunks gone means the item was replaced after the page was read: read it afresh.
        const item = (await this.#toItem<T>(key, head)) ?? (await this.get<T>(key));
        if (item !== undefined) items.push(item);
      }
      startKey = page.LastEvaluatedKey;
      if (startKey === undefined) break;
    }
    return items;
  }

  async ping(): Promise<void> {
    // A key no head can have (a head partition never contains "/"): cheap, and needs only GetItem.
    await this.#client.send(
      new GetItemCommand({ TableName: this.#table, Key: { [PK]: { S: '/ping' }, [SK]: { S: '/ping' } } }),
    );
  }

  async close(): Promise<void> {}

  async #head(partition: string, rest: string): Promise<Item | undefined> {
    const { Item: head } = await this.#client.send(
      new GetItemCommand({ TableName: this.#table, Key: headKey(partition, rest), ConsistentRead: true }),
    );
    return head;
  }

  /** The version a put will write and the condition that makes it safe. */
  async #plan(partition: string, rest: string, options: PutOptions, now: number): Promise<Plan> {
    if (options.ifVersion !== undefined) {
      return {
        version: options.ifVersion + 1,
        condition: `#version = :version AND ${LIVE}`,
        values: { ':version': num(options.ifVersion), ':now': num(now) },
        conflict: `version ${options.ifVersion}`,
      };
    }
    if (options.ifAbsent) {
      return {
        version: 1,
        condition: 'attribute_not_exists(#pk) OR #expiresAtMs <= :now',
        values: { ':now': num(now) },
        conflict: 'absent',
      };
    }
    // Unconditional: the next version follows the head as read, and the write id pins that head.
    const head = await this.#head(partition, rest);
    if (head === undefined) return { version: 1, condition: 'attribute_not_exists(#pk)' };
    const version = Number(head.version!.N);
    const next = isLive(expiresAtMs(head), now) ? version + 1 : 1;
    const writeId = head.writeId?.S;
    return writeId === undefined
      ? { version: next, condition: '#version = :version', values: { ':version': num(version) } }
      : { version: next, condition: '#writeId = :writeId', values: { ':writeId': { S: writeId } } };
  }

  /** The stored item, or undefined when its chunks are gone (replaced while we read). */
  async #toItem<T>(key: string, head: Item): Promise<StoredItem<T> | undefined> {
    let json: string | undefined;
    if (head.value?.S !== undefined) json = head.value.S;
    else if (head.gz?.B !== undefined) json = await unpackGzip([head.gz.B]);
    else {
      const [partition, rest] = [head[PK]!.S!, head[SK]!.S!];
      const chunks = await this.#chunks.read(partition, rest, head);
      if (chunks === undefined) return undefined;
      json = await unpackGzip(chunks);
    }
    return stored(key, JSON.parse(json) as T, Number(head.version!.N), expiresAtMs(head));
  }
}

interface Plan {
  version: number;
  condition: string;
  values?: Item;
  /** What a refused condition means to the caller; undefined when the put should just retry. */
  conflict?: string;
}

function stored<T>(key: string, value: T, version: number, expiresAt: number | undefined): StoredItem<T> {
  return expiresAt === undefined ? { key, value, version } : { key, value, version, expiresAt };
}

function headKey(partition: string, rest: string): Item {
  return { [PK]: { S: partition }, [SK]: { S: rest } };
}

function headItem(
  partition: string,
  rest: string,
  version: number,
  writeId: string,
  packed: PackedValue,
  expiresAt: number | undefined,
): Item {
  const item: Item = { ...headKey(partition, rest), version: num(version), writeId: { S: writeId } };
  if (packed.kind === 'text') item.value = { S: packed.json };
  else if (packed.kind === 'gzip') item.gz = { B: packed.bytes };
  else item.chunks = num(packed.chunks.length);
  if (expiresAt !== undefined) {
    item.expiresAtMs = num(expiresAt);
    item[TTL] = num(Math.ceil(expiresAt / 1000));
  }
  return item;
}

function expiresAtMs(item: Item): number | undefined {
  const n = item.expiresAtMs?.N;
  return n === undefined ? undefined : Number(n);
}

function num(n: number): AttributeValue {
  return { N: String(n) };
}

/** The attribute-name placeholders an expression uses; DynamoDB refuses unused ones. */
function pick(expression: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(NAMES).filter(([placeholder]) => expression.includes(placeholder)),
  );
}
