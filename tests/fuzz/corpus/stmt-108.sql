SELECT /*+ NEW_HINT(a, b) OTHER() */ 1
