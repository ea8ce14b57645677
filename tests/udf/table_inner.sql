-- split_words over each person's e-mail address (Nexmark puts random
-- blanks in some): one row per word with its position (oracle:
-- table_inner.oracle.sql)
CREATE VIEW person AS SELECT person.id, person.emailAddress, dateTime FROM nexmark WHERE event_type = 0;
SELECT id, word, pos FROM person, LATERAL TABLE(split_words(emailAddress));
