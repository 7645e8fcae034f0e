# keygen never overwrites: an existing FILE is refused with exit 2, nothing written
run: retort keygen README.md
--- exit
2
--- stdout
--- stderr
retort: error: 'README.md' already exists
  hint: retort keygen never overwrites a key file; choose another name
