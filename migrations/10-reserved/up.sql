-- Reserved for another branch's migration 10 (alarm e-mail); empty here so the ids
-- stay consecutive. Dropped at the merge.
SELECT 1;
