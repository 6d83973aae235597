// SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause)
/*
 * Profiles from and to JSON (jansson): the OCI runtime-spec linux.seccomp
 * object, also found inside a whole OCI config.json (its linux.seccomp).
 * Docker's archMap is read as architectures; its includes/excludes, which
 * docker expands itself before handing a profile on, are refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>

#include <jansson.h>

#include "sc.h"

/* A refusal naming the origin and the entry. */
static int bad(const struct eun_seccomp_profile *p, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(const struct eun_seccomp_profile *p, const char *where, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return sc_error(EINVAL, "%s: %s: %s", p->origin, where, msg);
}

static int get_uint(const struct eun_seccomp_profile *p, const char *where, json_t *v,
		    uint64_t max, uint64_t *out)
{
	json_int_t n;

	if (!json_is_integer(v))
		return bad(p, where, "expected a number");
	n = json_integer_value(v);
	if (n < 0 || (uint64_t)n > max)
		return bad(p, where, "%lld is out of range (0 to %llu)", (long long)n,
			   (unsigned long long)max);
	*out = (uint64_t)n;
	return 0;
}

static int get_action(const struct eun_seccomp_profile *p, const char *where, json_t *v,
		      enum sc_act_kind *out)
{
	if (!json_is_string(v))
		return bad(p, where, "expected an action name such as \"SCMP_ACT_ERRNO\"");
	if (sc_action_from_oci(json_string_value(v), out))
		return bad(p, where, "'%s' is not an action (SCMP_ACT_KILL, SCMP_ACT_KILL_PROCESS, "
			   "SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_ERRNO, SCMP_ACT_TRACE, "
			   "SCMP_ACT_ALLOW, SCMP_ACT_LOG, SCMP_ACT_NOTIFY)", json_string_value(v));
	return 0;
}

static int get_arch(struct eun_seccomp_profile *p, const char *where, json_t *v)
{
	uint32_t token;

	if (!json_is_string(v))
		return bad(p, where, "expected an architecture name such as \"SCMP_ARCH_X86_64\"");
	token = sc_arch_from_oci(json_string_value(v));
	if (!token)
		return bad(p, where, "'%s' is not an architecture libseccomp %u.%u.%u knows (%s)",
			   json_string_value(v), seccomp_version()->major, seccomp_version()->minor,
			   seccomp_version()->micro, sc_arch_known_list());
	return sc_profile_add_arch(p, token);
}

static int parse_arg(struct eun_seccomp_profile *p, const char *where, json_t *o, struct sc_arg *a)
{
	const char *key;
	char w[256];
	json_t *v;
	uint64_t n;
	bool has_index = false, has_value = false, has_op = false;
	int err;

	if (!json_is_object(o))
		return bad(p, where, "expected an object with index, value, valueTwo and op");
	json_object_foreach(o, key, v) {
		snprintf(w, sizeof(w), "%s.%s", where, key);
		if (!strcmp(key, "index")) {
			if ((err = get_uint(p, w, v, 5, &n)))
				return err;
			a->index = (uint32_t)n;
			has_index = true;
		} else if (!strcmp(key, "value")) {
			if ((err = get_uint(p, w, v, INT64_MAX, &a->value)))
				return err;
			has_value = true;
		} else if (!strcmp(key, "valueTwo")) {
			if ((err = get_uint(p, w, v, INT64_MAX, &a->value_two)))
				return err;
		} else if (!strcmp(key, "op")) {
			if (!json_is_string(v) || sc_op_from_oci(json_string_value(v), &a->op))
				return bad(p, w, "expected SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, "
					   "SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT or SCMP_CMP_MASKED_EQ");
			has_op = true;
		} else {
			return bad(p, w, "unknown key (an argument has index, value, valueTwo, op)");
		}
	}
	if (!has_index || !has_value || !has_op)
		return bad(p, where, "an argument needs index, value and op");
	return 0;
}

static int parse_rule(struct eun_seccomp_profile *p, size_t i, json_t *o)
{
	struct sc_arg args[6] = { 0 };
	struct sc_action act = { 0 };
	struct sc_rule *r;
	json_t *names = NULL, *v, *ae;
	const char *key;
	char where[64], w[128];
	size_t n_args = 0, j;
	bool has_action = false;
	int err;

	snprintf(where, sizeof(where), "syscalls[%zu]", i);
	if (!json_is_object(o))
		return bad(p, where, "expected an object with names and action");
	json_object_foreach(o, key, v) {
		snprintf(w, sizeof(w), "%s.%s", where, key);
		if (!strcmp(key, "names")) {
			names = v;
		} else if (!strcmp(key, "action")) {
			if ((err = get_action(p, w, v, &act.kind)))
				return err;
			has_action = true;
		} else if (!strcmp(key, "errnoRet")) {
			uint64_t n;

			if ((err = get_uint(p, w, v, 4095, &n)))
				return err;
			act.has_value = true;
			act.value = (uint32_t)n;
		} else if (!strcmp(key, "args")) {
			if (!json_is_array(v) || json_array_size(v) > 6)
				return bad(p, w, "expected an array of at most 6 arguments");
			json_array_foreach(v, j, ae) {
				char wa[160];

				snprintf(wa, sizeof(wa), "%s[%zu]", w, j);
				if ((err = parse_arg(p, wa, ae, &args[n_args++])))
					return err;
			}
		} else if (!strcmp(key, "includes") || !strcmp(key, "excludes")) {
			return bad(p, w, "is Docker's extension, which docker expands before a "
				   "profile reaches the runtime; remove it (or use the profile "
				   "docker hands on)");
		} else if (strcmp(key, "comment")) {
			return bad(p, w, "unknown key (a rule has names, action, errnoRet, args)");
		}
	}
	if (!has_action)
		return bad(p, where, "a rule needs an action");
	if (!json_is_array(names) || !json_array_size(names))
		return bad(p, where, "a rule needs names, an array of at least one syscall name");
	r = sc_profile_add_rule(p, act, args, n_args);
	if (!r)
		return sc_error(ENOMEM, "out of memory for a rule");
	json_array_foreach(names, j, v) {
		if (!json_is_string(v) || !json_string_length(v)) {
			snprintf(w, sizeof(w), "%s.names[%zu]", where, j);
			return bad(p, w, "expected a syscall name");
		}
		if (sc_rule_add_name(r, json_string_value(v)))
			return sc_error(ENOMEM, "out of memory for a rule");
	}
	return 0;
}

static int parse_flags(struct eun_seccomp_profile *p, json_t *v)
{
	size_t i, f;
	json_t *e;

	if (!json_is_array(v))
		return bad(p, "flags", "expected an array of SECCOMP_FILTER_FLAG_* names");
	json_array_foreach(v, i, e) {
		char w[48];

		snprintf(w, sizeof(w), "flags[%zu]", i);
		for (f = 0; f < sc_n_flags; f++)
			if (json_is_string(e) && !strcmp(json_string_value(e), sc_flag_names[f]))
				break;
		if (f == sc_n_flags)
			return bad(p, w, "not a flag (SECCOMP_FILTER_FLAG_TSYNC, _LOG, _SPEC_ALLOW, "
				   "_WAIT_KILLABLE_RECV)");
		p->flags |= 1u << f;
	}
	return 0;
}

static int parse_arch_map(struct eun_seccomp_profile *p, json_t *v)
{
	size_t i, j;
	json_t *e, *s;
	int err;

	if (!json_is_array(v))
		return bad(p, "archMap", "expected an array of {architecture, subArchitectures}");
	json_array_foreach(v, i, e) {
		char w[96];

		snprintf(w, sizeof(w), "archMap[%zu].architecture", i);
		if ((err = get_arch(p, w, json_object_get(e, "architecture"))))
			return err;
		json_array_foreach(json_object_get(e, "subArchitectures"), j, s) {
			snprintf(w, sizeof(w), "archMap[%zu].subArchitectures[%zu]", i, j);
			if ((err = get_arch(p, w, s)))
				return err;
		}
	}
	return 0;
}

static int parse_root(struct eun_seccomp_profile *p, json_t *root)
{
	const char *key;
	json_t *v, *e;
	size_t i;
	bool has_default = false;
	int err = 0;

	json_object_foreach(root, key, v) {
		if (!strcmp(key, "defaultAction")) {
			err = get_action(p, key, v, &p->def.kind);
			has_default = true;
		} else if (!strcmp(key, "defaultErrnoRet")) {
			uint64_t n;

			if (!(err = get_uint(p, key, v, 4095, &n))) {
				p->has_default_errno = true;
				p->default_errno = (uint32_t)n;
			}
		} else if (!strcmp(key, "architectures")) {
			if (!json_is_array(v))
				return bad(p, key, "expected an array of SCMP_ARCH_* names");
			json_array_foreach(v, i, e) {
				char w[40];

				snprintf(w, sizeof(w), "architectures[%zu]", i);
				if ((err = get_arch(p, w, e)))
					return err;
			}
		} else if (!strcmp(key, "archMap")) {
			err = parse_arch_map(p, v);
		} else if (!strcmp(key, "flags")) {
			err = parse_flags(p, v);
		} else if (!strcmp(key, "listenerPath") || !strcmp(key, "listenerMetadata")) {
			char **dst = key[8] == 'P' ? &p->listener_path : &p->listener_metadata;

			if (!json_is_string(v))
				return bad(p, key, "expected a string");
			free(*dst);
			if (!(*dst = strdup(json_string_value(v))))
				return sc_error(ENOMEM, "out of memory");
		} else if (!strcmp(key, "syscalls")) {
			if (!json_is_array(v))
				return bad(p, key, "expected an array of rules");
			json_array_foreach(v, i, e)
				if ((err = parse_rule(p, i, e)))
					return err;
		} else if (strcmp(key, "comment")) {
			return bad(p, key, "unknown key (a linux.seccomp profile has defaultAction, "
				   "defaultErrnoRet, architectures, flags, listenerPath, "
				   "listenerMetadata and syscalls)");
		}
		if (err)
			return err;
	}
	if (!has_default)
		return bad(p, "defaultAction", "missing; every profile needs one, e.g. "
			   "\"SCMP_ACT_ERRNO\"");
	return 0;
}

struct eun_seccomp_profile *eun_seccomp_profile_parse(const char *json, size_t len,
						       const char *origin)
{
	struct eun_seccomp_profile *p;
	json_error_t je;
	json_t *root, *obj;
	int err;

	sc_error_clear();
	if (!origin)
		origin = "profile";
	root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return sc_error_null(EINVAL, "%s:%d:%d: not valid JSON: %s", origin, je.line,
				     je.column, je.text);
	p = sc_profile_new(SC_ACT_ERRNO, origin);
	obj = root;
	/* A whole OCI config.json: its linux.seccomp. */
	if (json_is_object(root) && json_object_get(root, "ociVersion")) {
		obj = json_object_get(json_object_get(root, "linux"), "seccomp");
		if (p)
			snprintf(p->origin, sizeof(p->origin), "%s (linux.seccomp)", origin);
	}
	if (!p) {
		json_decref(root);
		return NULL;
	}
	if (!json_is_object(obj)) {
		err = bad(p, "top level", obj == root ? "expected a JSON object (a linux.seccomp "
			  "profile)" : "the OCI config has no linux.seccomp object");
	} else {
		err = parse_root(p, obj);
	}
	json_decref(root);
	if (!err)
		err = eun_seccomp_profile_check(p);
	if (err) {
		eun_seccomp_profile_free(p);
		errno = -err;
		return NULL;
	}
	return p;
}

struct eun_seccomp_profile *eun_seccomp_profile_load(const char *path)
{
	struct eun_seccomp_profile *p;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	sc_error_clear();
	f = !strcmp(path, "-") ? stdin : fopen(path, "r");
	if (!f)
		return sc_error_null(errno, "cannot open the profile %s: %s", path, strerror(errno));
	{
		FILE *m = open_memstream(&text, &len);
		char chunk[8192];
		size_t n;

		if (!m) {
			if (f != stdin)
				fclose(f);
			return sc_error_null(ENOMEM, "out of memory reading %s", path);
		}
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			fwrite(chunk, 1, n, m);
		fclose(m);
	}
	if (ferror(f)) {
		int err = errno;

		if (f != stdin)
			fclose(f);
		free(text);
		return sc_error_null(err, "cannot read the profile %s: %s", path, strerror(err));
	}
	if (f != stdin)
		fclose(f);
	p = eun_seccomp_profile_parse(text ? text : "", len, path);
	free(text);
	return p;
}

static json_t *action_json(const struct sc_action *a)
{
	return json_string(sc_action_oci(a->kind));
}

static json_t *rule_json(const struct sc_rule *r)
{
	json_t *o = json_object(), *names = json_array();

	for (size_t i = 0; i < r->n_names; i++)
		json_array_append_new(names, json_string(r->names[i]));
	json_object_set_new(o, "names", names);
	json_object_set_new(o, "action", action_json(&r->act));
	if (r->act.has_value)
		json_object_set_new(o, "errnoRet", json_integer(r->act.value));
	if (r->n_args) {
		json_t *args = json_array();

		for (size_t i = 0; i < r->n_args; i++) {
			const struct sc_arg *a = &r->args[i];
			json_t *ao = json_object();

			json_object_set_new(ao, "index", json_integer(a->index));
			json_object_set_new(ao, "value", json_integer((json_int_t)a->value));
			json_object_set_new(ao, "valueTwo", json_integer((json_int_t)a->value_two));
			json_object_set_new(ao, "op", json_string(sc_op_oci(a->op)));
			json_array_append_new(args, ao);
		}
		json_object_set_new(o, "args", args);
	}
	return o;
}

char *eun_seccomp_profile_to_json(const struct eun_seccomp_profile *p)
{
	json_t *root = json_object(), *arches = json_array(), *rules = json_array();
	char *text, *out;

	json_object_set_new(root, "defaultAction", action_json(&p->def));
	if (p->has_default_errno)
		json_object_set_new(root, "defaultErrnoRet", json_integer(p->default_errno));
	for (size_t i = 0; i < p->n_arches; i++)
		json_array_append_new(arches, json_string(sc_arch_oci(p->arches[i])));
	json_object_set_new(root, "architectures", arches);
	if (p->flags) {
		json_t *flags = json_array();

		for (size_t f = 0; f < sc_n_flags; f++)
			if (p->flags >> f & 1)
				json_array_append_new(flags, json_string(sc_flag_names[f]));
		json_object_set_new(root, "flags", flags);
	}
	if (p->listener_path)
		json_object_set_new(root, "listenerPath", json_string(p->listener_path));
	if (p->listener_metadata)
		json_object_set_new(root, "listenerMetadata", json_string(p->listener_metadata));
	for (size_t i = 0; i < p->n_rules; i++)
		json_array_append_new(rules, rule_json(&p->rules[i]));
	json_object_set_new(root, "syscalls", rules);
	text = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	if (!text)
		return sc_error_null(ENOMEM, "out of memory writing the profile");
	out = sc_strdupf("%s\n", text);
	free(text);
	if (!out)
		return sc_error_null(ENOMEM, "out of memory writing the profile");
	return out;
}

int eun_seccomp_profile_save(const struct eun_seccomp_profile *p, const char *path)
{
	char tmp[4096];
	char *text;
	size_t len;
	int err, fd;

	sc_error_clear();
	if ((err = eun_seccomp_profile_check(p)))
		return err;
	text = eun_seccomp_profile_to_json(p);
	if (!text)
		return -ENOMEM;
	len = strlen(text);
	if (!strcmp(path, "-")) {
		err = fwrite(text, 1, len, stdout) == len && !fflush(stdout) ? 0 : -errno;
		free(text);
		return err ? sc_error(-err, "cannot write the profile to standard output: %s",
				      strerror(-err)) : 0;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp)) {
		free(text);
		return sc_error(ENAMETOOLONG, "the profile path %s is too long", path);
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		err = errno;
		free(text);
		return sc_error(err, "cannot create %s: %s", tmp, strerror(err));
	}
	err = write(fd, text, len) == (ssize_t)len && !fchmod(fd, 0644) && !fsync(fd) ? 0 : errno;
	free(text);
	if (close(fd) && !err)
		err = errno;
	if (!err && rename(tmp, path))
		err = errno;
	if (err) {
		unlink(tmp);
		return sc_error(err, "cannot write the profile %s: %s", path, strerror(err));
	}
	return 0;
}
