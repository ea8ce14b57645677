SELECT ((SELECT 1)), (((a))) FROM t
