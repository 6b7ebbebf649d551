// SPDX-License-Identifier: GPL-2.0
/*
 * leaky: a test fixture that LEAKS MEMORY ON PURPOSE. Every load allocates
 * 64 KiB of slab (16 kmalloc()s of 4 KiB, below the 8 KiB above which
 * kmalloc bypasses the slab and goes to the page allocator) and 256 KiB of
 * vmalloc memory, and unloading frees neither. kgate's module load/unload
 * cycle (harness/module_cycle.h) must report module-slab-leak and
 * module-memory-leak for it. Never load it outside a throw-away guest.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#define LEAKY_CHUNKS 16
#define LEAKY_CHUNK_BYTES 4096
#define LEAKY_VMALLOC_BYTES (256 * 1024)

/* The kill switch a real module would need; here it lets a test load it clean. */
static bool leak = true;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "leak 64 KiB of slab and 256 KiB of vmalloc per load");

static int __init leaky_init(void)
{
	void *p;
	int i;

	if (!leak)
		return 0;
	for (i = 0; i < LEAKY_CHUNKS; i++) {
		p = kmalloc(LEAKY_CHUNK_BYTES, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		/* Touch it so the allocation cannot be elided. */
		memset(p, 0x5a, LEAKY_CHUNK_BYTES);
	}
	p = vmalloc(LEAKY_VMALLOC_BYTES);
	if (!p)
		return -ENOMEM;
	memset(p, 0x5a, LEAKY_VMALLOC_BYTES);
	return 0;
}

/* Frees nothing: the leak is the point of this fixture. */
static void __exit leaky_exit(void)
{
}

module_init(leaky_init);
module_exit(leaky_exit);
MODULE_DESCRIPTION("Test fixture: leaks slab and vmalloc memory on every load");
MODULE_LICENSE("GPL");
