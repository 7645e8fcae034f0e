/*
 * Splitting SQL text into statements with PostgreSQL's own lexer and
 * grammar (libpg_query), and checking text that is sent whole.
 *
 * Statements are verbatim slices of their source (rt_stmt_verbatim), so a
 * server error position maps back to file:line:col.
 */
#ifndef RETORT_SQLSPLIT_H
#define RETORT_SQLSPLIT_H

#include "arena.h"
#include "error.h"
#include "source.h"
#include "stmt.h"

/*
 * Appends the statements of src->text[offset, offset+len) to out, in order.
 * Each statement starts at its first token (a leading comment is kept),
 * ends at its last token that is not a comment, and has no trailing ';'.
 * Statements made only of comments and whitespace are skipped. Every
 * statement gets no_transaction = `no_transaction`.
 *
 * Boundaries come from PostgreSQL's parser; when the parser rejects the
 * text, from its lexer with psql's rules (';' outside parentheses and
 * outside CREATE FUNCTION/PROCEDURE ... BEGIN ... END), so a statement with
 * a syntax error is still split out and the server reports it.
 *
 * Errors (RT_ESYNTAX, err->loc at the offending text; nothing appended):
 * an unterminated quoted string, quoted identifier, dollar quote or
 * comment (located where it starts) or any other lexical error; a NUL
 * byte; COPY ... FROM STDIN / TO STDOUT (psql inline data); a psql
 * meta-command (a backslash command at the start of a line).
 */
int rt_sql_split(rt_stmtlist *out, rt_arena *arena, const rt_source *src, size_t offset,
                 size_t len, bool no_transaction, rt_error *err);

/*
 * Checks one statement text that will be sent whole (an op.execute
 * string): the same lexical errors and COPY refusal as rt_sql_split,
 * located through stmt's offset map. Does not split. RT_OK or RT_ESYNTAX.
 */
int rt_sql_check(const rt_stmt *stmt, rt_error *err);

/*
 * Frees libpg_query's per-thread memory context (it is created on first
 * use and otherwise lives until the thread exits). Optional; call it
 * when done with SQL in a thread (harmless when it was never used), e.g.
 * before exit under LeakSanitizer.
 */
void rt_sql_shutdown(void);
/* Tells rt_sql_shutdown that this thread used libpg_query from another
 * module (src/lint parses with it): pg_query_exit() must run once, last. */
void rt_sql_note_use(void);

#endif
