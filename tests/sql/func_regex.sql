-- description: REGEXP_EXTRACT and REGEXP where a pattern's required text decides (sluice skips PCRE2 for a subject without the text every match needs): quantifiers, top-level alternation, inline options, quoting, escapes, classes, non-ASCII, NULLs (rows in func_regex.rows)
SELECT s, p, REGEXP_EXTRACT(s, p, 0), REGEXP(s, p)
FROM (VALUES ('ac', 'ab?c'), ('ac', 'ab*c'), ('abbc', 'ab+c'), ('abc', 'ab+c'), ('ac', 'ab+c'),
             ('ac', 'ab{0,2}c'), ('abbbc', 'ab{0,2}c'), ('yb', 'xa|yb'), ('ABC', '(?i)abc'),
             ('a.b', 'a\.b'), ('axb', 'a\.b'), ('yz', '[(]x|yz'), ('(x', '[(]x|yz'),
             ('bcd', '(a|b)cd'), ('a.b', '\Qa.b\E'), ('axb', '\Qa.b\E'), ('éx', 'é+x'),
             ('ééx', 'é+x'), ('a{x}', 'a{x}'), ('ab 12-34', '\d+-\d+'), ('xy', 'x\d?y'),
             ('', 'a?'), ('', 'abc'), ('abc', ''), (CAST(NULL AS STRING), 'abc'),
             ('abc', CAST(NULL AS STRING)), ('x]y', 'x[]]y'), ('x-y', '[[:punct:]]'),
             ('a\b', 'a\\b'), ('ab', '^ab$'), ('cab', '^ab$')) AS t(s, p);
-- a constant pattern, as Nexmark q21 writes it
SELECT s, REGEXP_EXTRACT(s, '(&|^)channel_id=([^&]*)', 2), REGEXP(s, 'channel_id=')
FROM (VALUES ('https://x/item.htm?query=1&channel_id=42&z=1'), ('channel_id=7'),
             ('https://x/item.htm?query=1'), ('xchannel_id=9'), ('&channel_id='),
             ('channel_id'), (CAST(NULL AS STRING))) AS t(s);
