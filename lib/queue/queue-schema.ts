/**
 * The embedded queue's tables. Messages wait in `messages` (see queue-database.ts for what the state
 * columns mean); `dedupe` remembers deduplication ids for SQS's five-minute window, beyond the life
 * of the message; `dead_letters` keeps what gave up, with the reason, until someone looks.
 */
export const QUEUE_SCHEMA = `
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  queue TEXT NOT NULL,
  grp TEXT NOT NULL,
  dedupe_id TEXT NOT NULL,
  body TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  visible_at INTEGER NOT NULL,
  receive_count INTEGER NOT NULL DEFAULT 0,
  receipt TEXT,
  head INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_by_group ON messages (queue, grp, seq);
CREATE INDEX IF NOT EXISTS heads_in_order ON messages (queue, seq) WHERE head = 1;
CREATE INDEX IF NOT EXISTS heads_by_visibility ON messages (queue, visible_at) WHERE head = 1;
CREATE TABLE IF NOT EXISTS dedupe (
  queue TEXT NOT NULL,
  dedupe_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (queue, dedupe_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dedupe_by_age ON dedupe (at);
CREATE TABLE IF NOT EXISTS dead_letters (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  id TEXT NOT NULL,
  grp TEXT NOT NULL,
  body TEXT NOT NULL,
  receive_count INTEGER NOT NULL,
  reason TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS dead_letters_by_queue ON dead_letters (queue, seq);
`;
