/**
 * The two StateStore adapters as the contract suite drives them: each opens stores on one shared
 * backing store and can list the raw records of a partition, chunks included, to prove that
 * nothing is left behind.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { StateStore } from '../../lib/state/index.ts';
import {
  createStateTable,
  DynamoDbStateStore,
  EMBEDDED_STATE_FILE,
  EmbeddedStateStore,
} from '../../lib/state/index.ts';
import type { DynamoDbLocal } from '../support/dynamodb.ts';
import { startDynamoDbLocal } from '../support/dynamodb.ts';

export interface Backend {
  open(now: () => number): StateStore;
  /** Every stored record that belongs to the partition, chunks included, as `partition sortKey`. */
  records(partition: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function startEmbedded(): Promise<Backend & { dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-state-'));
  return {
    dir,
    open: (now) => new EmbeddedStateStore({ dir, now }),
    async records(partition) {
      const db = new DatabaseSync(join(dir, EMBEDDED_STATE_FILE), { readOnly: true });
      try {
        const rows = db.prepare('SELECT key FROM items ORDER BY key').all() as { key: string }[];
        return rows
          .filter((row) => row.key.startsWith(`${partition}/`))
          .map((row) => `${partition} ${row.key.slice(partition.length + 1)}`);
      } finally {
        db.close();
      }
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

export const STATE_TABLE = 'ferry-state';

export async function startDynamoDb(): Promise<Backend & { local: DynamoDbLocal }> {
  const local = await startDynamoDbLocal();
  try {
    await createStateTable(local.client, STATE_TABLE);
  } catch (error) {
    await local.close();
    throw error;
  }
  return {
    local,
    open: (now) => new DynamoDbStateStore({ client: local.client, tableName: STATE_TABLE, now }),
    async records(partition) {
      const found: string[] = [];
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await local.client.send(
          new ScanCommand({
            TableName: STATE_TABLE,
            FilterExpression: 'pk = :partition OR begins_with(pk, :under)',
            ExpressionAttributeValues: { ':partition': { S: partition }, ':under': { S: `${partition}/` } },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) found.push(`${item.pk?.S} ${item.sk?.S}`);
        startKey = page.LastEvaluatedKey;
      } while (startKey !== undefined);
      return found.sort();
    },
    close: () => local.close(),
  };
}
