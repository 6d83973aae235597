/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Versions of the library and of the plugin ABI it speaks, and its plugin directory. */
#include <eunomia/plugin.h>

#include "core/core.h"

const char *eun_version(void)
{
	return EUN_VERSION_STRING;
}

void eun_plugin_abi_version(unsigned *major, unsigned *minor)
{
	if (major)
		*major = EUN_PLUGIN_ABI_MAJOR;
	if (minor)
		*minor = EUN_PLUGIN_ABI_MINOR;
}

const char *eun_plugin_install_dir(void)
{
	return EUN_PLUGINDIR;
}
