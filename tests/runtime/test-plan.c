/* test-plan.c -- prints a loaded plan in a fixed text form, or its diagnostics, so that
 * test-plan.sh can compare both with golden files (plans/<name>.out, plans/<name>.err). */
#include <stdio.h>

#include "plan.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: test-plan PLAN.json\n", stderr);
		return 2;
	}
	plan *p = plan_load(argv[1], stdout);
	if (!p)
		return 1;
	printf("pipeline %s run %s namespace %s sequencer %s maxParallel %u onFailure %s\n", p->pipeline,
	       p->run ? p->run : "-", p->ns, p->sequencer_job ? p->sequencer_job : "-", p->max_parallel,
	       p->stop_on_failure ? "stop" : "continue");
	for (size_t i = 0; i < p->n; i++) {
		printf("step %s job %s pending %ld after", p->steps[i].name, p->steps[i].job, p->steps[i].pending_timeout);
		for (size_t k = 0; k < p->steps[i].nafter; k++)
			printf(" %s", p->steps[p->steps[i].after[k]].name);
		putchar('\n');
	}
	plan_free(p);
	return 0;
}
