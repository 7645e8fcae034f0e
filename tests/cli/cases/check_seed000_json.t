# check as JSON events
cd: tests/fixtures/seed000
run: retort check --format json
--- exit
3
--- stdout
{"event":"diagnostic","severity":"error","kind":"multiple-heads","file":"versions/001_create_ux_feature_models.py","line":14,"col":17,"revision":"001_create_ux_features","message":"two heads: 'c9f3a8e1d4b2' and '007_add_password_hash_to_users' both descend from 'b81dde19348f'","hint":"add a merge revision (retort merge heads), or point the first revision of one chain ('001_create_ux_features') at the other's head ('c9f3a8e1d4b2')"}
{"event":"summary","ok":false,"revisions":10,"heads":["007_add_password_hash_to_users","c9f3a8e1d4b2"],"errors":1,"warnings":0,"translatable":10,"refused":0}
--- stderr
