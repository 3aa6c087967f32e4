-- Where the payer goes back to after a card checkout: the addresses the checkout was opened with
-- (the caller's, else the course page), kept so the local processor's test payment page returns
-- to the same places Stripe's hosted checkout would. Both are addresses of the site's own public
-- URL (checked when the checkout is opened). Null for payments made before this column existed.
alter table payments add column success_url text;
alter table payments add column cancel_url text;
