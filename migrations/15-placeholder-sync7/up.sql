-- Placeholder (branch sync7): migration 15 belongs to another branch; migrations must be
-- numbered without gaps, so this one stands in for it until the merge. At the merge,
-- delete this folder (and renumber 16 if needed). It changes nothing.
SELECT 1;
