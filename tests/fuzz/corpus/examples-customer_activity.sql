-- customer_activity: a per-customer digest kept always fresh from a CDC
-- stream of orders. The orders table is a Debezium-JSON Kafka topic (one
-- change event per insert, update or delete of a row of the upstream
-- database's orders table); every change updates the customer's row in an
-- upsert-kafka topic keyed by customer_id. An update to an order retracts
-- its old image (-U) and adds the new one (+U), so total_spent and
-- order_count stay exact; deleting a customer's last order retracts the
-- customer row and the sink writes a tombstone.

SET 'pipeline.name' = 'customer-activity';
SET 'execution.checkpointing.interval' = '10s';

CREATE TABLE orders (
    order_id     BIGINT,
    customer_id  BIGINT,
    status       VARCHAR,
    amount       DECIMAL(10, 2),
    updated_at   TIMESTAMP(3)
) WITH (
    'connector' = 'kafka',
    'topic' = 'dbserver1.shop.orders',
    'properties.bootstrap.servers' = 'localhost:9092',
    'properties.group.id' = 'sluice-customer-activity',
    'scan.startup.mode' = 'earliest-offset',
    'format' = 'debezium-json',
    'format.on-error' = 'dlq',
    'dlq.topic' = 'orders-dlq'
);

CREATE TABLE customer_activity (
    customer_id  BIGINT,
    last_seen    TIMESTAMP(3),
    total_spent  DECIMAL(38, 2),
    order_count  BIGINT,
    PRIMARY KEY (customer_id) NOT ENFORCED
) WITH (
    'connector' = 'upsert-kafka',
    'topic' = 'customer-activity',
    'properties.bootstrap.servers' = 'localhost:9092',
    'key.format' = 'json',
    'value.format' = 'json'
);

INSERT INTO customer_activity
SELECT
    customer_id,
    MAX(updated_at) AS last_seen,
    SUM(amount) AS total_spent,
    COUNT(*) AS order_count
FROM orders
GROUP BY customer_id;
