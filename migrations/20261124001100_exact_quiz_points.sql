-- Exact points. An answer's points and an attempt's total were kept to two decimals, so partial
-- credit was rounded before it was added up: three answers worth 2/3 of a point each totalled
-- 2.01 of 3 (67 %) and passed a pass mark of 67, six worth 1/3 totalled 1.98 of 6 (33 %) and
-- failed a pass mark of 33.33. Both columns now keep the value as computed (numeric without a
-- scale); the attempt's score stays two decimals, for display, and the pass decision is taken on
-- the exact percentage. Rows stored before this keep their rounded values.

alter table quiz_answers alter column points type numeric;
alter table quiz_attempts alter column points_earned type numeric;
