/*
 * Recursive-descent parser for Python 3.12 modules (private to the library;
 * revfile.h is the public face). See pyast.h for the tree it builds.
 */
#ifndef RETORT_PY_PYPARSE_H
#define RETORT_PY_PYPARSE_H

#include "retort/arena.h"
#include "retort/error.h"
#include "retort/source.h"
#include "pyast.h"

/*
 * Tokenizes and parses the whole of src into *out (arena-owned). Nothing is
 * executed and names are not resolved. On a syntax error returns RT_ESYNTAX
 * (RT_ELIMIT when nesting exceeds RT_MAX_NESTING) with err located at the
 * offending token and *out NULL. Any input terminates without crashing.
 * flags are py_lex's: with PY_LEX_SKIP_BODIES, def/class blocks the
 * tokenizer skipped have empty bodies (counted in (*out)->skipped) and
 * errors inside them go unreported; everything else is as without it.
 */
int py_parse_module(struct py_module **out, rt_arena *arena, const rt_source *src,
                    unsigned flags, rt_error *err);

#endif
