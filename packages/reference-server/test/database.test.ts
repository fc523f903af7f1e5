// The world's database reads rows as arrays where node:sqlite can, and builds the objects itself:
// what `get` and `all` return holds what node:sqlite's own objects hold.

import { afterEach, expect, test } from 'vitest';
import { Database } from '../src/world/database.ts';

const opened: Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

test('rows read through get and all hold what node:sqlite reads: names, aliases, nulls, blobs, a repeated name', () => {
  const db = new Database(':memory:');
  opened.push(db);
  db.sqlite.exec('CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT, photo BLOB)');
  db.run('INSERT INTO people (id, name, note, photo) VALUES (?, ?, ?, ?)', 1, 'Alice', null, new Uint8Array([0, 255]));
  db.run('INSERT INTO people (id, name, note, photo) VALUES (?, ?, ?, ?)', 2, 'Bob', 'friend', null);
  const queries = [
    'SELECT * FROM people ORDER BY id',
    "SELECT id AS who, name || '!' AS shout, note, 1.5 AS ratio FROM people ORDER BY id",
    'SELECT p.id, q.id FROM people p JOIN people q ON q.id = p.id + 1',
    'SELECT id FROM people WHERE id = 99',
  ];
  for (const sql of queries) {
    const own = db.sqlite.prepare(sql);
    expect(db.all(sql), sql).toEqual(own.all());
    expect(db.get(sql), sql).toEqual(own.get());
  }
  expect(db.get<{ name: string }>('SELECT name FROM people WHERE id = ?', 2)?.name).toBe('Bob');
  expect(db.get('SELECT id FROM people WHERE id = 99')).toBeUndefined();
});
