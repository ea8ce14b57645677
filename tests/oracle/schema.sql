-- schema.sql: the Nexmark tables in SQLite for the oracle (see README.md).
--
-- The *_csv tables take `sluice gen nexmark --format csv` files as they
-- are (.import --csv); load.sh then fills the query tables below, which add
--   dateTime_ms / expires_ms  the timestamp as integer milliseconds since
--                             the epoch (UTC), for window arithmetic;
--   seq                       1-based position of the row in its CSV file,
--                             i.e. arrival order (eid order within a table),
--                             for tie-breaking where Flink keeps arrival order.
-- Timestamps stay text 'yyyy-MM-dd HH:mm:ss.SSS' in dateTime and expires,
-- exactly as generated, so queries print them unchanged.

CREATE TABLE person_csv (id INTEGER, name TEXT, emailAddress TEXT, creditCard TEXT,
    city TEXT, state TEXT, dateTime TEXT, extra TEXT);
CREATE TABLE auction_csv (id INTEGER, itemName TEXT, description TEXT, initialBid INTEGER,
    reserve INTEGER, dateTime TEXT, expires TEXT, seller INTEGER, category INTEGER, extra TEXT);
CREATE TABLE bid_csv (auction INTEGER, bidder INTEGER, price INTEGER, channel TEXT,
    url TEXT, dateTime TEXT, extra TEXT);

CREATE TABLE person (id INTEGER, name TEXT, emailAddress TEXT, creditCard TEXT,
    city TEXT, state TEXT, dateTime TEXT, extra TEXT,
    dateTime_ms INTEGER, seq INTEGER);
CREATE TABLE auction (id INTEGER, itemName TEXT, description TEXT, initialBid INTEGER,
    reserve INTEGER, dateTime TEXT, expires TEXT, seller INTEGER, category INTEGER, extra TEXT,
    dateTime_ms INTEGER, expires_ms INTEGER, seq INTEGER);
CREATE TABLE bid (auction INTEGER, bidder INTEGER, price INTEGER, channel TEXT,
    url TEXT, dateTime TEXT, extra TEXT,
    dateTime_ms INTEGER, seq INTEGER);
