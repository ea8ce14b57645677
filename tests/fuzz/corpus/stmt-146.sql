SELECT `a`, `A`, `a b`, `a``b`, `Ünïcödé` FROM `my table`
