SELECT /*+ STATE_TTL('o' = '1d', 'p' = '12h') */ * FROM o JOIN p ON o.id = p.id
