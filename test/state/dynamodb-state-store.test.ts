/**
 * What only the DynamoDB store promises: the table layout the AWS stack shares, DynamoDB's TTL
 * attribute in epoch seconds, and large values cut into chunks out of the heads' way.
 */
import { DescribeTableCommand, DescribeTimeToLiveCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateTable, DynamoDbStateStore, stateTableLayout } from '../../lib/state/index.ts';
import type { DynamoDbLocal } from '../support/dynamodb.ts';
import { STATE_TABLE, startDynamoDb } from './backends.ts';
import { randomDocument } from './documents.ts';

describe('dynamodb state store', () => {
  let backend: Awaited<ReturnType<typeof startDynamoDb>>;
  let local: DynamoDbLocal;
  const clock = Date.UTC(2030, 0, 1);

  beforeAll(async () => {
    backend = await startDynamoDb();
    local = backend.local;
  });
  afterAll(async () => {
    await backend?.close();
  });

  it('creates the state table once, keyed pk/sk, with TTL on expiresAt', async () => {
    await createStateTable(local.client, STATE_TABLE);
    const { Table } = await local.client.send(new DescribeTableCommand({ TableName: STATE_TABLE }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const { TimeToLiveDescription } = await local.client.send(
      new DescribeTimeToLiveCommand({ TableName: STATE_TABLE }),
    );
    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
    expect(stateTableLayout).toEqual({ partitionKey: 'pk', sortKey: 'sk', timeToLiveAttribute: 'expiresAt' });
  });

  it('stores the expiry in epoch seconds, rounded up, for DynamoDB to sweep', async () => {
    const store = new DynamoDbStateStore({ client: local.client, tableName: STATE_TABLE, now: () => clock });
    const put = await store.put('events/a', 'x', { ttlSeconds: 90.5 });
    expect(put.expiresAt).toBe(clock + 90_500);
    const { Item } = await local.client.send(
      new GetItemCommand({ TableName: STATE_TABLE, Key: { pk: { S: 'events' }, sk: { S: 'a' } } }),
    );
    expect(Item?.expiresAt).toEqual({ N: String(Math.ceil((clock + 90_500) / 1000)) });
  });

  it('cuts a large value into chunks outside its partition, carrying its expiry', async () => {
    const store = new DynamoDbStateStore({ client: local.client, tableName: STATE_TABLE, now: () => clock });
    await store.put('images/app', randomDocument(2 * 1024 * 1024, 7), { ttlSeconds: 3600 });
    const records = await backend.records('images');
    const chunks = records.filter((record) => !record.startsWith('images app'));
    expect(records).toContain('images app');
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    for (const chunk of chunks) expect(chunk).toMatch(/^images\/chunks app#1\.[0-9a-f]{16}#\d{5}$/);
  });

  it('keeps small values as readable JSON in the head item', async () => {
    const store = new DynamoDbStateStore({ client: local.client, tableName: STATE_TABLE, now: () => clock });
    await store.put('status/Kustomization/flux-system/apps', { ready: true });
    const { Item } = await local.client.send(
      new GetItemCommand({
        TableName: STATE_TABLE,
        Key: { pk: { S: 'status' }, sk: { S: 'Kustomization/flux-system/apps' } },
      }),
    );
    expect(Item?.value).toEqual({ S: '{"ready":true}' });
    expect(Item?.version).toEqual({ N: '1' });
  });
});
