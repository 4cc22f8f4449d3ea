-- Reserved on the alarms branch for the migration another branch brings with this number;
-- the merge replaces this folder with that branch's. It changes nothing.
SELECT 1;
