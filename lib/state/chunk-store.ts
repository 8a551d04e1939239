/**
 * The chunk items of values too large for one DynamoDB item, kept in a partition of their own
 * (see chunkPartition) so that prefix queries on the heads never see them.
 */
import type { AttributeValue, DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb';
import { BatchWriteItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { TransientError } from '../errors.ts';
import { chunkPartition, chunkSortKey, chunkSortKeyPrefix } from './packed-value.ts';
import { stateTableLayout } from './state-table.ts';

type Item = Record<string, AttributeValue>;

const { partitionKey: PK, sortKey: SK, timeToLiveAttribute: TTL } = stateTableLayout;
/** Ten chunks of 350 KB keep a batch request well under DynamoDB's 16 MB. */
const BATCH = 10;
const BATCH_ATTEMPTS = 8;

/** A head names chunks that are not there, and re-reading the head did not help. */
export class StateChunksMissingError extends TransientError {
  constructor(key: string) {
    super(`the chunks of state item ${key} are missing`, { data: { key } });
  }
}

export class ChunkStore {
  readonly #client: DynamoDBClient;
  readonly #table: string;

  constructor(client: DynamoDBClient, table: string) {
    this.#client = client;
    this.#table = table;
  }

  /** Chunks carry the head's expiry, so DynamoDB's sweeper removes them with it. */
  async write(
    partition: string,
    rest: string,
    version: number,
    writeId: string,
    chunks: Uint8Array[],
    expiresAt: number | undefined,
  ): Promise<void> {
    await this.#batch(
      chunks.map((data, index) => {
        const item: Item = { ...this.#key(partition, rest, version, writeId, index), data: { B: data } };
        if (expiresAt !== undefined) item[TTL] = { N: String(Math.ceil(expiresAt / 1000)) };
        return { PutRequest: { Item: item } };
      }),
    );
  }

  /** The chunks a head names, in order; undefined when any is missing. */
  async read(partition: string, rest: string, head: Item): Promise<Uint8Array[] | undefined> {
    const version = Number(head.version?.N);
    const writeId = head.writeId?.S ?? '';
    const count = Number(head.chunks?.N);
    const prefix = chunkSortKeyPrefix(rest, version, writeId);
    const chunks: Uint8Array[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
          ExpressionAttributeValues: { ':pk': { S: chunkPartition(partition) }, ':prefix': { S: prefix } },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        // Only exact chunk names count, so another key that happens to share the prefix cannot leak in.
        if (item[SK]?.S !== chunkSortKey(rest, version, writeId, chunks.length)) continue;
        chunks.push(item.data!.B!);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return chunks.length === count ? chunks : undefined;
  }

  async drop(
    partition: string,
    rest: string,
    version: number,
    writeId: string,
    count: number,
  ): Promise<void> {
    const requests: WriteRequest[] = [];
    for (let index = 0; index < count; index++) {
      requests.push({ DeleteRequest: { Key: this.#key(partition, rest, version, writeId, index) } });
    }
    await this.#batch(requests);
  }

  /**
   * Drops the chunks of a head that was just replaced or deleted. The caller's write is already
   * committed, so failing it now would invite a retry of a write that succeeded; a chunk left
   * behind costs storage, never correctness, because no head names it any more.
   */
  async dropQuietly(partition: string, rest: string, old: Item): Promise<void> {
    const count = Number(old.chunks?.N ?? 0);
    const writeId = old.writeId?.S;
    if (count === 0 || writeId === undefined) return;
    await this.drop(partition, rest, Number(old.version?.N), writeId, count).catch(() => undefined);
  }

  #key(partition: string, rest: string, version: number, writeId: string, index: number): Item {
    return {
      [PK]: { S: chunkPartition(partition) },
      [SK]: { S: chunkSortKey(rest, version, writeId, index) },
    };
  }

  /** BatchWriteItem in slices, resending what DynamoDB left unprocessed with a growing pause. */
  async #batch(requests: WriteRequest[]): Promise<void> {
    for (let start = 0; start < requests.length; start += BATCH) {
      let pending = requests.slice(start, start + BATCH);
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > BATCH_ATTEMPTS) {
          throw new TransientError('DynamoDB left state chunks unprocessed', {
            data: { table: this.#table },
          });
        }
        if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        const { UnprocessedItems } = await this.#client.send(
          new BatchWriteItemCommand({ RequestItems: { [this.#table]: pending } }),
        );
        pending = UnprocessedItems?.[this.#table] ?? [];
      }
    }
  }
}
