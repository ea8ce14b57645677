-- tests/ck window query: bids per auction in 2 s tumbling windows of event time.
SELECT auction,
       strftime('%Y-%m-%d %H:%M:%S', (dateTime_ms / 2000) * 2, 'unixepoch') || '.000',
       COUNT(*), MAX(price)
FROM bid
GROUP BY auction, dateTime_ms / 2000;
