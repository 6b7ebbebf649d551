// SPDX-License-Identifier: GPL-2.0
/*
 * ra_folio: completes a read on a freshly allocated folio with
 * folio_end_read(), the helper Linux 6.9 added for filesystems' read paths.
 * It exists to show an out-of-tree module tied to one kernel's API: it
 * builds on 6.12 but not on 6.1, which neither declares nor exports it.
 * Off unless loaded with enable=1.
 */
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pagemap.h>

/* The kill switch: nothing runs unless the module is loaded with enable=1. */
static bool enable;
module_param(enable, bool, 0444);
MODULE_PARM_DESC(enable, "complete one read on a private folio at load time");

static int __init ra_folio_init(void)
{
	struct folio *folio;

	if (!enable)
		return 0;
	folio = folio_alloc(GFP_KERNEL, 0);
	if (!folio)
		return -ENOMEM;
	/* A read in flight holds the folio lock; ending it marks it uptodate. */
	__folio_set_locked(folio);
	folio_end_read(folio, true);
	pr_info("ra_folio: uptodate %d\n", folio_test_uptodate(folio));
	folio_put(folio);
	return 0;
}

static void __exit ra_folio_exit(void)
{
}

module_init(ra_folio_init);
module_exit(ra_folio_exit);
MODULE_DESCRIPTION("Complete a read on a folio with folio_end_read()");
MODULE_LICENSE("GPL");
