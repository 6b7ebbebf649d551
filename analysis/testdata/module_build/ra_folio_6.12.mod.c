#include <linux/module.h>
#include <linux/export-internal.h>
#include <linux/compiler.h>

MODULE_INFO(name, KBUILD_MODNAME);

__visible struct module __this_module
__section(".gnu.linkonce.this_module") = {
	.name = KBUILD_MODNAME,
	.init = init_module,
#ifdef CONFIG_MODULE_UNLOAD
	.exit = cleanup_module,
#endif
	.arch = MODULE_ARCH_INIT,
};



static const struct modversion_info ____versions[]
__used __section("__versions") = {
	{ 0xbdfb6dbb, "__fentry__" },
	{ 0x5ba93e78, "folio_alloc_noprof" },
	{ 0x16af9117, "folio_end_read" },
	{ 0x122c3a7e, "_printk" },
	{ 0x5f07a32e, "__folio_put" },
	{ 0x64603ba1, "param_ops_bool" },
	{ 0x5b8239ca, "__x86_return_thunk" },
	{ 0x2f9b2b9a, "module_layout" },
};

MODULE_INFO(depends, "");

