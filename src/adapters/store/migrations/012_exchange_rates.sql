-- Exchange rates the user supplies (`mkt import rates`): on `day`, one unit of the shop's CURRENCY
-- is worth `rate` units of `currency` (the way central banks quote them: EUR 1 = USD 1.0956).
-- An amount in another currency is converted with the rate of its day, or the last one before it.
CREATE TABLE exchange_rates (
  currency  text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  day       date NOT NULL,
  rate      numeric(20, 10) NOT NULL CHECK (rate > 0),
  PRIMARY KEY (currency, day)
);

