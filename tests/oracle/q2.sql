-- q2 oracle: MOD(auction, 123) = 0.
SELECT auction, price FROM bid WHERE auction % 123 = 0;
