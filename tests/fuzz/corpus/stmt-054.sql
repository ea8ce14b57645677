INSERT INTO s /*+ OPTIONS('sink.parallelism' = '2') */ SELECT 1
