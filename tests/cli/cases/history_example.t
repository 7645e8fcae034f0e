# the example project's history with its branch and merge
cd: migrations-example
run: retort history
--- exit
0
--- stdout
8c64e2a497d9 -> 728111a24eb7 (billing, search) (head), cascade comment deletes
8009cf9a4d4b, f1322428ec3c -> 8c64e2a497d9 (billing, search) (mergepoint), merge billing and search
3983d560e703 -> 8009cf9a4d4b (billing), add payment fields to invoices
a2286d909a81 -> 3983d560e703 (billing), create invoices table
a2286d909a81 -> f1322428ec3c (search), create saved searches
f3c513eae268 -> a2286d909a81 (branchpoint), backfill project slugs
98bbdfd0dd06 -> f3c513eae268, add updated_at triggers
34b8335c5eaf -> 98bbdfd0dd06, index audit log concurrently
61f6a3a51079 -> 34b8335c5eaf, create audit log table
30a4ac5e6708 -> 61f6a3a51079, add assignee to tasks
a77edf988253 -> 30a4ac5e6708, create comments table
2866300ac1e4 -> a77edf988253, create tasks table
136886b49939 -> 2866300ac1e4, create projects table
773e4df37fd0 -> 136886b49939, create users table
<base> -> 773e4df37fd0, create accounts table
--- stderr
