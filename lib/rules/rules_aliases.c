/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Falco's names for the facts our events carry: field aliases (proc.name,
 * fd.name, ...) and the event names evt.type compares with (execve,
 * openat, ...). Each alias says, per tracker and event type, which field
 * holds the fact; docs/rules.md lists them. A name of one of Falco's field
 * classes that is not here is "not available": rules using it load as
 * not supported.
 */
#include <string.h>

#include "rules/rules_internal.h"

const struct field_alias field_aliases[] = {
	{ "proc.name", HC_COMM, DER_NONE, { { 0 } } },
	{ "proc.pid", HC_PID, DER_NONE, { { 0 } } },
	{ "thread.tid", HC_TID, DER_NONE, { { 0 } } },
	{ "user.uid", HC_UID, DER_NONE, { { 0 } } },
	{ "evt.rawtime", HC_TS, DER_NONE, { { 0 } } },
	{ "k8s.pod.uid", HC_POD_UID, DER_NONE, { { 0 } } },
	{ "evt.time", -1, DER_EVT_TIME, { { 0 } } },
	{ "container.id", -1, DER_CONT_ID, { { 0 } } },
	{ "container.name", -1, DER_CONT_NAME, { { 0 } } },
	{ "container.image", -1, DER_CONT_IMAGE, { { 0 } } },
	{ "container.image.repository", -1, DER_CONT_REPO, { { 0 } } },
	{ "container.image.tag", -1, DER_CONT_TAG, { { 0 } } },
	{ "container.type", -1, DER_CONT_TYPE, { { 0 } } },
	{ "proc.ppid", -1, DER_NONE, { { "process", NULL, "ppid", DER_NONE } } },
	{ "proc.exepath", -1, DER_NONE, { { "process", "exec", "filename", DER_NONE } } },
	{ "proc.cmdline", -1, DER_NONE, { { "process", "exec", "args", DER_CMDLINE } } },
	{ "proc.args", -1, DER_NONE, { { "process", "exec", "args", DER_ARGS } } },
	{ "fd.name", -1, DER_NONE, { { "files", NULL, "path", DER_NONE } } },
	{ "fd.directory", -1, DER_NONE, { { "files", NULL, "path", DER_DIRNAME } } },
	{ "fd.filename", -1, DER_NONE, { { "files", NULL, "path", DER_BASENAME } } },
	{ "fd.num", -1, DER_NONE, { { "files", "open", "ret", DER_NONE }, { "files", "io", "fd", DER_NONE },
				    { "bind", "bind", "fd", DER_NONE } } },
	{ "fd.rip", -1, DER_NONE, { { "tcp", NULL, "daddr", DER_NONE } } },
	{ "fd.rport", -1, DER_NONE, { { "tcp", NULL, "dport", DER_NONE } } },
	{ "fd.lip", -1, DER_NONE, { { "tcp", NULL, "saddr", DER_NONE } } },
	{ "fd.lport", -1, DER_NONE, { { "tcp", NULL, "sport", DER_NONE },
				      { "bind", "bind", "bound_port", DER_NONE } } },
	{ "fd.sip", -1, DER_NONE, { { "tcp", "connect", "daddr", DER_NONE }, { "tcp", "accept", "saddr", DER_NONE } } },
	{ "fd.sport", -1, DER_NONE, { { "tcp", "connect", "dport", DER_NONE }, { "tcp", "accept", "sport", DER_NONE } } },
	{ "fd.cip", -1, DER_NONE, { { "tcp", "connect", "saddr", DER_NONE }, { "tcp", "accept", "daddr", DER_NONE } } },
	{ "fd.cport", -1, DER_NONE, { { "tcp", "connect", "sport", DER_NONE }, { "tcp", "accept", "dport", DER_NONE } } },
	{ "evt.res", -1, DER_NONE, { { "*", NULL, "ret", DER_EVT_RES } } },
	{ "evt.rawres", -1, DER_NONE, { { "*", NULL, "ret", DER_NONE } } },
	{ "evt.failed", -1, DER_NONE, { { "*", NULL, "ret", DER_EVT_FAILED } } },
	{ "evt.is_open_read", -1, DER_NONE, { { "files", "open", "flags", DER_OPEN_READ } } },
	{ "evt.is_open_write", -1, DER_NONE, { { "files", "open", "flags", DER_OPEN_WRITE } } },
};
const size_t n_field_aliases = sizeof(field_aliases) / sizeof(field_aliases[0]);

/* evt.type names: the syscall names of Falco's events, where one of our
 * event types records that call (a field telling the call apart, if
 * several share the event type). */
const struct falco_event falco_events[] = {
	{ "execve", "process", "exec", NULL, NULL, 0 },
	{ "execveat", "process", "exec", NULL, NULL, 0 },
	{ "procexit", "process", "exit", NULL, NULL, 0 },
	{ "clone", "process", "fork", NULL, NULL, 0 },
	{ "clone3", "process", "fork", NULL, NULL, 0 },
	{ "fork", "process", "fork", NULL, NULL, 0 },
	{ "vfork", "process", "fork", NULL, NULL, 0 },
	{ "open", "files", "open", "syscall", "open", 0 },
	{ "openat", "files", "open", "syscall", "openat", 0 },
	{ "openat2", "files", "open", "syscall", "openat2", 0 },
	{ "connect", "tcp", "connect", NULL, NULL, 0 },
	{ "accept", "tcp", "accept", NULL, NULL, 0 },
	{ "accept4", "tcp", "accept", NULL, NULL, 0 },
	{ "bind", "bind", "bind", NULL, NULL, 0 },
	{ "kill", "signal", "send", "code", NULL, 0 },          /* SI_USER */
	{ "tkill", "signal", "send", "code", NULL, -6 },        /* SI_TKILL */
	{ "tgkill", "signal", "send", "code", NULL, -6 },
	{ "mount", "mount", "mount", "call", "mount", 0 },
	{ "umount2", "mount", "mount", "call", "umount2", 0 },
	{ "fsopen", "mount", "mount", "call", "fsopen", 0 },
	{ "move_mount", "mount", "mount", "call", "move_mount", 0 },
	{ "msgget", "ipc", "ipc", "call", "msgget", 0 },
	{ "msgsnd", "ipc", "ipc", "call", "msgsnd", 0 },
	{ "msgrcv", "ipc", "ipc", "call", "msgrcv", 0 },
	{ "msgctl", "ipc", "ipc", "call", "msgctl", 0 },
	{ "semget", "ipc", "ipc", "call", "semget", 0 },
	{ "semop", "ipc", "ipc", "call", "semop", 0 },
	{ "semtimedop", "ipc", "ipc", "call", "semtimedop", 0 },
	{ "semctl", "ipc", "ipc", "call", "semctl", 0 },
	{ "shmget", "ipc", "ipc", "call", "shmget", 0 },
	{ "shmat", "ipc", "ipc", "call", "shmat", 0 },
	{ "shmdt", "ipc", "ipc", "call", "shmdt", 0 },
	{ "shmctl", "ipc", "ipc", "call", "shmctl", 0 },
	{ "mq_open", "ipc", "ipc", "call", "mq_open", 0 },
	{ "mq_unlink", "ipc", "ipc", "call", "mq_unlink", 0 },
	{ "mq_timedsend", "ipc", "ipc", "call", "mq_timedsend", 0 },
	{ "mq_timedreceive", "ipc", "ipc", "call", "mq_timedreceive", 0 },
};
const size_t n_falco_events = sizeof(falco_events) / sizeof(falco_events[0]);

/* Falco's field classes (names before the first dot). */
static const char *const falco_classes[] = {
	"evt", "proc", "thread", "user", "group", "fd", "fdlist", "syscall", "container",
	"k8s", "k8smeta", "fs", "mesos", "span", "ka", "jevt", "gcp", "aws", "okta",
	"github", "ct", "cloudtrail", "keycloak", "gvisor",
};

/* Fields of Falco's that this engine has no data for (yet), so that a
 * misspelling is told apart from them: proc.pname gets no "did you mean
 * proc.name?". An [argument] after the name is ignored. */
static const char *const falco_unavailable[] = {
	"proc.pname", "proc.aname", "proc.pcmdline", "proc.acmdline", "proc.pexe", "proc.aexe",
	"proc.pexepath", "proc.aexepath", "proc.exe", "proc.tty", "proc.cwd", "proc.sid",
	"proc.sname", "proc.vpid", "proc.vpgid", "proc.vpgid.name", "proc.vpgid.exe",
	"proc.is_exe_upper_layer", "proc.is_exe_from_memfd", "proc.is_exe_writable",
	"proc.exe_ino", "proc.exe_ino.ctime", "proc.env", "proc.loginshellid", "proc.duration",
	"proc.pid.ts", "proc.ppid.ts", "proc.apid", "proc.is_container_healthcheck",
	"proc.is_container_liveness_probe", "proc.is_container_readiness_probe",
	"thread.cap_effective", "thread.cap_permitted", "thread.cap_inheritable",
	"user.name", "user.loginuid", "user.loginname", "user.homedir", "user.shell",
	"group.gid", "group.name", "fd.type", "fd.typechar", "fd.nameraw", "fd.l4proto",
	"fd.sockfamily", "fd.is_server", "fd.ino", "fd.dev", "fd.sip.name", "fd.rip.name",
	"fd.cip.name", "fd.lip.name", "fd.ip", "fd.port", "fd.net", "fd.cnet", "fd.snet",
	"fd.lnet", "fd.rnet", "fd.proto", "fd.cproto", "fd.sproto", "fd.lproto", "fd.rproto",
	"fd.connected", "fd.name_changed", "fd.uid", "fd.types", "fd.containername",
	"fd.containerdirectory", "fd.dev.major", "fd.dev.minor",
	"evt.num", "evt.arg", "evt.rawarg", "evt.args", "evt.dir", "evt.hostname",
	"evt.is_open_exec", "evt.is_open_create", "evt.buffer", "evt.buflen", "evt.category",
	"syscall.type", "container.privileged", "container.start_ts", "container.mounts",
	"container.mount", "container.healthcheck", "container.image.id", "container.image.digest",
	"k8s.pod.name", "k8s.ns.name", "k8s.pod.label", "k8s.pod.labels", "k8s.deployment.name",
};

bool falco_known_field(const char *name)
{
	size_t n = strcspn(name, "[");

	for (size_t i = 0; i < sizeof(falco_unavailable) / sizeof(falco_unavailable[0]); i++)
		if (strlen(falco_unavailable[i]) == n && !memcmp(falco_unavailable[i], name, n))
			return true;
	/* evt.arg.NAME and evt.rawarg.NAME */
	return !strncmp(name, "evt.arg.", 8) || !strncmp(name, "evt.rawarg.", 11);
}

bool falco_field_class(const char *name)
{
	const char *dot = strchr(name, '.');
	size_t n = dot ? (size_t)(dot - name) : strlen(name);

	if (!dot)
		return false;
	for (size_t i = 0; i < sizeof(falco_classes) / sizeof(falco_classes[0]); i++)
		if (strlen(falco_classes[i]) == n && !memcmp(falco_classes[i], name, n))
			return true;
	return false;
}
