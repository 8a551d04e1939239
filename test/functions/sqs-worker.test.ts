import { describe, expect, it } from 'vitest';
import type { SqsRecord } from '../../functions/lambda-events.ts';
import { messageOf } from '../../functions/sqs-worker.ts';
import { sqsDelivery } from '../../lib/queue/sqs-job-queue.ts';

/** A record of an SQS FIFO event as the Lambda documentation shows one, with a delayed ferry job. */
const record = {
  messageId: '11d6ee51-4cc7-4302-9e22-7cd8afdaadf5',
  receiptHandle: 'AQEBBX8nesZEXmkhsmZeyIE8iQAMig7qw...',
  body: '{"kind":"apply","kustomization":{"namespace":"flux-system","name":"apps"}}',
  attributes: {
    ApproximateReceiveCount: '2',
    SentTimestamp: '1767225600000',
    SequenceNumber: '18849496460467696128',
    MessageGroupId: 'Kustomization/flux-system/apps',
    SenderId: 'AIDAIO23YVJENQZJOL4VO',
    MessageDeduplicationId: 'requeue:0d3d3a1e',
    ApproximateFirstReceiveTimestamp: '1767225601000',
  },
  messageAttributes: {
    'ferry-delay-seconds': {
      stringValue: '30',
      stringListValues: [],
      binaryListValues: [],
      dataType: 'Number',
    },
  },
  md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-2:123456789012:ferry-prod-apply.fifo',
  awsRegion: 'us-east-2',
} as SqsRecord;

describe('messageOf', () => {
  it('gives the queue adapter the record in the shape ReceiveMessage returns', () => {
    expect(messageOf(record)).toEqual({
      MessageId: record.messageId,
      ReceiptHandle: record.receiptHandle,
      Body: record.body,
      Attributes: record.attributes,
      MessageAttributes: { 'ferry-delay-seconds': { DataType: 'Number', StringValue: '30' } },
    });
  });

  it.each([
    {
      label: 'received before it was due: hidden for the rest of its delay',
      attributes: { ApproximateReceiveCount: '1' },
      expected: { deferSeconds: 29 },
    },
    {
      label: 'received again once due: a delivery, the deferral not counted',
      attributes: { ApproximateReceiveCount: '2' },
      expected: { receiveCount: 1, group: 'Kustomization/flux-system/apps', dedupeId: 'requeue:0d3d3a1e' },
    },
  ])('reads a delayed job $label', ({ attributes, expected }) => {
    const delivery = sqsDelivery(
      messageOf({ ...record, attributes: { ...record.attributes, ...attributes } }),
    );
    if ('deferSeconds' in expected) expect(delivery).toEqual(expected);
    else expect('message' in delivery && delivery.message).toMatchObject(expected);
  });
});
