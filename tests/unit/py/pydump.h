/* Test helper: syntax trees as S-expressions (see pydump.c, pydump.py). */
#ifndef RETORT_TEST_PYDUMP_H
#define RETORT_TEST_PYDUMP_H

#include "retort/buf.h"
#include "py/pyast.h"

void py_dump_module(rt_buf *b, const py_module *m);
void py_dump_expr(rt_buf *b, const py_expr *e);

#endif
