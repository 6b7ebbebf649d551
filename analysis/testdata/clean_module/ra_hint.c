// SPDX-License-Identifier: GPL-2.0
/*
 * ra_hint: logs, once per boot, the readahead window a newly opened block
 * device starts with. Off unless loaded with enable=1; it only reads state.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pagemap.h>
#include <linux/printk.h>

/* The kill switch: nothing runs unless the module is loaded with enable=1. */
static bool enable;
module_param(enable, bool, 0444);
MODULE_PARM_DESC(enable, "log the default readahead window at load time");

/* The default window in KiB, as the block layer computes it. */
static unsigned long ra_hint_default_kb(void)
{
	return VM_READAHEAD_PAGES << (PAGE_SHIFT - 10);
}

static int __init ra_hint_init(void)
{
	/* Loading with enable=0 is a successful no-op, not an error. */
	if (!enable)
		return 0;
	pr_info("ra_hint: default readahead window %lu KiB\n",
		ra_hint_default_kb());
	return 0;
}

static void __exit ra_hint_exit(void)
{
}

module_init(ra_hint_init);
module_exit(ra_hint_exit);
MODULE_DESCRIPTION("Log the default readahead window");
MODULE_LICENSE("GPL");
