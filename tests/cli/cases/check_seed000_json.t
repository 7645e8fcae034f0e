# check as JSON events
cd: tests/fixtures/seed000
run: retort check --format json
--- exit
3
--- stdout
{"event":"diagnostic","severity":"error","kind":"multiple-heads","file":"versions/001_create_ux_feature_models.py","line":14,"col":17,"revision":"001_create_ux_features","message":"two heads: 'c9f3a8e1d4b2' and '007_add_password_hash_to_users' both descend from 'b81dde19348f'","hint":"join them with `retort merge heads`, or move one chain onto the other: `retort rebase 001_create_ux_features --onto c9f3a8e1d4b2`"}
{"event":"summary","ok":false,"revisions":10,"heads":["007_add_password_hash_to_users","c9f3a8e1d4b2"],"errors":1,"warnings":0,"upgrades_runnable":10,"downgrades_runnable":10,"irreversible":0,"refused":0}
--- stderr
