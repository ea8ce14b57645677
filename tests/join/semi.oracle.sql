SELECT auction, price FROM bid WHERE auction IN (SELECT id FROM auction WHERE category = 10);
