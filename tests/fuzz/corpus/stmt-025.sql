SET 'parallelism.default' = '4'
