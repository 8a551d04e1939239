/**
 * The state table: the same layout the DynamoDB state store reads (lib/state/state-table.ts), paid
 * per request so an idle deployment costs nothing, with point-in-time recovery, and protected from
 * deletion in production stages.
 */
import type { StackContext } from 'sst/constructs';
import { Table } from 'sst/constructs';
import { stateTableLayout } from '../lib/state/state-table.ts';
import { isProductionStage } from './stage.ts';

export function Storage({ stack, app }: StackContext) {
  const { partitionKey, sortKey, timeToLiveAttribute } = stateTableLayout;
  const table = new Table(stack, 'state', {
    fields: { [partitionKey]: 'string', [sortKey]: 'string' },
    primaryIndex: { partitionKey, sortKey },
    timeToLiveAttribute,
    cdk: {
      table: {
        // Pay per request is the construct's default; so is recovery, said again here on purpose.
        pointInTimeRecovery: true,
        deletionProtection: isProductionStage(app.stage),
      },
    },
  });
  stack.addOutputs({ TableName: table.tableName });
  return { table };
}
