/**
 * The one DynamoDB table behind the StateStore on AWS. The infrastructure code defines the same
 * table, so the names live here once and both read them.
 */
import type { AttributeDefinition, DynamoDBClient, KeySchemaElement } from '@aws-sdk/client-dynamodb';
import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';

/** Attribute names of the state table. */
export const stateTableLayout = {
  /** String: the key's partition (`status` for `status/Kustomization/ns/name`). */
  partitionKey: 'pk',
  /** String: the rest of the key, so a prefix query is one Query with begins_with. */
  sortKey: 'sk',
  /** Number, epoch seconds: DynamoDB's TTL deletes the item some time after this. */
  timeToLiveAttribute: 'expiresAt',
} as const;

export const stateTableKeySchema: KeySchemaElement[] = [
  { AttributeName: stateTableLayout.partitionKey, KeyType: 'HASH' },
  { AttributeName: stateTableLayout.sortKey, KeyType: 'RANGE' },
];

export const stateTableAttributeDefinitions: AttributeDefinition[] = [
  { AttributeName: stateTableLayout.partitionKey, AttributeType: 'S' },
  { AttributeName: stateTableLayout.sortKey, AttributeType: 'S' },
];

/**
 * Creates the state table (on-demand billing) unless it exists, waits until it is active, and
 * turns on TTL for `expiresAt`. For local use and tests; on AWS the stack owns the table.
 */
export async function createStateTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: stateTableKeySchema,
        AttributeDefinitions: stateTableAttributeDefinitions,
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 120 }, { TableName: tableName });
  await enableTimeToLive(client, tableName);
}

/** Some local endpoints do not implement the TTL API; the store filters expired items itself either way. */
async function enableTimeToLive(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const { TimeToLiveDescription: ttl } = await client.send(
      new DescribeTimeToLiveCommand({ TableName: tableName }),
    );
    if (ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING') return;
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: stateTableLayout.timeToLiveAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    if (error instanceof Error && unsupported.has(error.name)) return;
    throw error;
  }
}

const unsupported = new Set(['UnknownOperationException', 'NotImplemented']);
