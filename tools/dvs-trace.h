/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dvs trace (tools/dvs-trace.c): the DVK's trace events in tracefs, one
 * line per event, and a message sequence chart of several nodes' traces
 * (docs/trace.md).
 */
#ifndef DVS_TRACE_H
#define DVS_TRACE_H

/* The verbs of dvs trace, for dvs --help. */
#define DVS_TRACE_VERBS "start|stop|show|chart"

/*
 * dvs trace VERB ...: @argv[0] is "trace". Returns the exit status: 0,
 * 1 (the kernel, tracefs or the input refused), 2 (bad usage).
 */
int dvs_trace_main(int argc, char **argv);

#endif
