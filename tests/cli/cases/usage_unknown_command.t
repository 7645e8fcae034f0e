# a misspelt command gets a suggestion, exit 2
run: retort upgarde
--- exit
--- stdout
--- stderr
