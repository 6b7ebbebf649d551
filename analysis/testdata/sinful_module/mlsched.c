// SPDX-License-Identifier: GPL-2.0
/*
 * A learned scheduler hint: predicts the next runtime of a task.
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <asm/fpu/api.h>

#define MLS_INPUTS 4

static double mls_weights[MLS_INPUTS];
static double mls_learning_rate = 0.001;  
static struct task_struct *mls_task;
static struct dentry *mls_dir;

int (*mls_pick_hook)(struct task_struct *p);
EXPORT_SYMBOL_GPL(mls_pick_hook);

static int mls_load_model(void)
{
	struct file *f = filp_open("/home/ml/model.bin", O_RDONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if(IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, mls_weights, sizeof(mls_weights), &pos);
	filp_close(f, NULL);
	return n < 0 ? n : 0;
}

static double mls_predict(u64 runtime, u64 wait, u64 sleep, u64 nr)
{
	double x[MLS_INPUTS] = { runtime, wait, sleep, nr };
	double y = 0;
	int i;

	kernel_fpu_begin();
	for (i = 0; i < MLS_INPUTS; i++)
		y += mls_weights[i] * x[i];
	kernel_fpu_end();
	return y;
}

static void mls_update(double target, double predicted)
{
	double delta = target - predicted;
	int i;

	kernel_fpu_begin();
	for (i = 0; i < MLS_INPUTS; i++)
		mls_weights[i] += mls_learning_rate * delta;
	kernel_fpu_end();
}

static int mls_thread(void *unused)
{
	for (;;) {
		if (kthread_should_stop())
			break;
		mls_update(1.0, mls_predict(current->se.sum_exec_runtime, 0, 0, 1));
		schedule_timeout_interruptible(HZ);
	}
	return 0;
}

static int __init mls_init(void)
{
	mls_load_model();
	mls_dir = debugfs_create_dir("mlsched", NULL);
	debugfs_create_u32("predictions", 0444, mls_dir, NULL);
	mls_task = kthread_run(mls_thread, NULL, "mlsched");
	return 0;
}

/* No module_exit: once loaded, the model stays until the next boot. */
module_init(mls_init);
MODULE_LICENSE("GPL");
