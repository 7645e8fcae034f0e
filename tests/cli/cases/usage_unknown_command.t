# a misspelt command gets a suggestion, exit 2
run: retort upgarde
--- exit
2
--- stdout
--- stderr
retort: error: unknown command 'upgarde'
  hint: did you mean 'upgrade'?
