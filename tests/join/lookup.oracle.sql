SELECT auction, price, auction % 1000, auction % 1000 + 1000 FROM bid WHERE auction % 1000 < 500;
