-- order_lifecycle: the current status of every order and when it last
-- changed, from the same Debezium-JSON orders topic. The source is already
-- a changelog keyed by order_id: an UPDATE in the database arrives as -U/+U
-- and a DELETE as -D, so the query is a projection and the upsert-kafka sink
-- keeps one row per order (a tombstone when the order is deleted).
-- last_status_change is the time of the latest change event, taken from the
-- updated_at column the database maintains.

SET 'pipeline.name' = 'order-lifecycle';
SET 'execution.checkpointing.interval' = '10s';

CREATE TABLE orders (
    order_id     BIGINT,
    customer_id  BIGINT,
    status       VARCHAR,
    amount       DECIMAL(10, 2),
    updated_at   TIMESTAMP(3),
    PRIMARY KEY (order_id) NOT ENFORCED
) WITH (
    'connector' = 'kafka',
    'topic' = 'dbserver1.shop.orders',
    'properties.bootstrap.servers' = 'localhost:9092',
    'properties.group.id' = 'sluice-order-lifecycle',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'debezium-json',
    'format.on-error' = 'dlq',
    'dlq.topic' = 'orders-dlq'
);

CREATE TABLE order_lifecycle (
    order_id            BIGINT,
    status              VARCHAR,
    last_status_change  TIMESTAMP(3),
    PRIMARY KEY (order_id) NOT ENFORCED
) WITH (
    'connector' = 'upsert-kafka',
    'topic' = 'order-lifecycle',
    'properties.bootstrap.servers' = 'localhost:9092',
    'key.format' = 'json',
    'value.format' = 'json'
);

INSERT INTO order_lifecycle
SELECT
    order_id,
    status,
    updated_at AS last_status_change
FROM orders;
