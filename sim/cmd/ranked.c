/* ranked: see ranked.h. */
#define _POSIX_C_SOURCE 200809L /* dup, fileno */
#include "cmd/ranked.h"

#include <stdio.h>
#include <unistd.h>

#include "analysis/ranks.h"

static void hold_start(struct cmd_hold *h, int rank)
{
	*h = (struct cmd_hold){.rank = rank, .saved = -1};
	if (rank <= 0)
		return;
	(void)fflush(stderr);
	h->held = tmpfile();
	h->saved = h->held ? dup(STDERR_FILENO) : -1;
	if (h->saved >= 0)
		dup2(fileno(h->held), STDERR_FILENO);
}

/* Restores stderr; shows the messages held back if show. */
static void hold_release(struct cmd_hold *h, int show)
{
	if (h->saved >= 0) {
		(void)fflush(stderr);
		dup2(h->saved, STDERR_FILENO);
		close(h->saved);
		h->saved = -1;
		if (show) {
			char buf[4096];
			size_t n;
			fprintf(stderr, "cyberdef: MPI rank %d:\n", h->rank);
			rewind(h->held);
			while ((n = fread(buf, 1, sizeof buf, h->held)) > 0)
				fwrite(buf, 1, n, stderr);
		}
	}
	if (h->held)
		(void)fclose(h->held); /* a temporary, read already */
	h->held = NULL;
}

int cmd_ranked_agree(const struct ranks *rk, struct cmd_hold *h, int status,
		     const char *what)
{
	int first, worst = ranks_agree(rk, status, &first);
	hold_release(h, status && !first);
	if (worst && !first && !rk->rank)
		fprintf(stderr,
			"cyberdef: other MPI ranks cannot start %s (see their "
			"messages); every rank must see the same files\n",
			what);
	return worst;
}

int cmd_ranked_main(int argc, char **argv, cmd_ranked_fn fn, int arg)
{
	struct ranks rk;
	struct cd_diag d;
	if (ranks_start(&rk, &d)) {
		if (!rk.rank) /* once, not once a rank */
			fprintf(stderr, "cyberdef: %s\n", d.msg);
		ranks_end(&rk);
		return 1;
	}
	struct cmd_hold h;
	hold_start(&h, rk.rank);
	int status = fn(&rk, &h, argc, argv, arg);
	hold_release(&h, 0);
	ranks_end(&rk);
	return status;
}
