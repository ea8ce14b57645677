SELECT /*+ BROADCAST(dim), MY_HINT, LOOKUP('table' = 'dim', 'retry-predicate' = 'lookup_miss') */ 1
