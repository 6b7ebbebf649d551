// SPDX-License-Identifier: GPL-2.0
/*
 * mlp_hint: an in-kernel learned predictor in the style of MLLB and LinnOS.
 * A kthread wakes every period_ms milliseconds, samples three features,
 * evaluates a small MLP with the FPU (kernel_fpu_begin/end around
 * mlp_eval(), the only code built with floating point), and publishes the
 * prediction in the read-only module parameter `decision`, which a policy
 * elsewhere would read.
 *
 * It is written the way such papers' modules are, on purpose: a periodic
 * kthread that costs wake-ups when the system is idle, floating point in
 * the kernel, and no way to turn it off but unloading it. kgate's analysis
 * is expected to say so, and its run to measure what the kthread costs.
 */
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched/loadavg.h>
#include <linux/vmstat.h>
#include <asm/fpu/api.h>

#include "mlp.h"

static unsigned int period_ms = 4;
module_param(period_ms, uint, 0444);
MODULE_PARM_DESC(period_ms, "milliseconds between two predictions (default 4)");

static int decision;
module_param(decision, int, 0444);
MODULE_PARM_DESC(decision, "the latest prediction: 1 = memory pressure ahead");

static unsigned long evaluations;
module_param(evaluations, ulong, 0444);
MODULE_PARM_DESC(evaluations, "how many predictions were made");

static struct task_struct *mlp_thread;

/* Load average and memory fractions, in thousandths. */
static void mlp_features(int features[MLP_INPUTS])
{
	struct sysinfo si;
	unsigned long total, file;

	si_meminfo(&si);
	total = si.totalram ? si.totalram : 1;
	file = global_node_page_state(NR_FILE_PAGES);
	features[0] = (int)((avenrun[0] * 1000) >> FSHIFT);
	features[1] = (int)(si.freeram * 1000 / total);
	features[2] = (int)(min(file, total) * 1000 / total);
}

static int mlp_loop(void *unused)
{
	int features[MLP_INPUTS];

	while (!kthread_should_stop()) {
		mlp_features(features);
		kernel_fpu_begin();
		WRITE_ONCE(decision, mlp_eval(features));
		kernel_fpu_end();
		evaluations++;
		msleep_interruptible(period_ms ? period_ms : 1);
	}
	return 0;
}

static int __init mlp_init(void)
{
	mlp_thread = kthread_run(mlp_loop, NULL, "mlp_hint");
	if (IS_ERR(mlp_thread))
		return PTR_ERR(mlp_thread);
	pr_info("mlp_hint: predicting every %u ms\n", period_ms);
	return 0;
}

static void __exit mlp_exit(void)
{
	kthread_stop(mlp_thread);
	pr_info("mlp_hint: stopped after %lu predictions\n", evaluations);
}

module_init(mlp_init);
module_exit(mlp_exit);
MODULE_DESCRIPTION("In-kernel MLP predicting memory pressure (kgate example)");
MODULE_LICENSE("GPL");
