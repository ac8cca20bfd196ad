/* bench: `cyberdef bench`, wall time, throughput and memory by size. */
#ifndef CD_BENCH_H
#define CD_BENCH_H

/* The `cyberdef bench` command. Returns the exit status. */
int bench_main(int argc, char **argv);

#endif
