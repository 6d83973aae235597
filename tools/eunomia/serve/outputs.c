/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/* Outputs of the daemon as library sinks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "instances.h"
#include "outputs.h"

static int parse_format(const char *f, enum eun_sink_format *out)
{
	if (!strcmp(f, "json"))
		*out = EUN_SINK_JSON;
	else if (!strcmp(f, "csv"))
		*out = EUN_SINK_CSV;
	else if (!strcmp(f, "text"))
		*out = EUN_SINK_TEXT;
	else
		return -EINVAL;
	return 0;
}

static struct eun_sink *open_sink(struct serve *s, const struct output_spec_api *spec,
				  struct serve_err *e)
{
	struct eun_tracker **ts = calloc(s->n_inst ? s->n_inst : 1, sizeof(*ts));
	enum eun_sink_format fmt;
	struct eun_sink *sink;

	if (!ts) {
		serve_err_set(e, 500, "no_memory", NULL, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < s->n_inst; i++)
		ts[i] = s->inst[i]->t;
	parse_format(spec->format, &fmt);
	EUN_OPTS(eun_sink_opts, so, .trackers = ts, .n_trackers = s->n_inst,
		 .rotate_bytes = spec->rotate_bytes, .rotate_keep = spec->rotate_keep,
		 .append = spec->append);
	sink = !strcmp(spec->path, "-") ? eun_sink_new_fd(STDOUT_FILENO, fmt, &so)
					: eun_sink_new_file(spec->path, fmt, &so);
	free(ts);
	if (!sink)
		serve_err_set(e, errno == EINVAL ? 400 : 500, "output_failed", NULL,
			      "cannot open output %s: %s", spec->path, eun_last_error());
	return sink;
}

static int check_spec(struct serve *s, const struct output_spec_api *spec, struct serve_err *e)
{
	enum eun_sink_format fmt;

	if (!spec->format || parse_format(spec->format, &fmt) < 0) {
		serve_err_set(e, 400, "bad_format", "give \"format\": \"json\", \"csv\" or \"text\"",
			      "unknown output format '%s'", spec->format ? spec->format : "");
		return -1;
	}
	if (!spec->path || (strcmp(spec->path, "-") && spec->path[0] != '/')) {
		serve_err_set(e, 400, "bad_path", "give an absolute file path, or \"-\" for the "
			      "daemon's standard output", "output path '%s' is not absolute",
			      spec->path ? spec->path : "");
		return -1;
	}
	if (spec->rotate_keep > EUN_SINK_MAX_ROTATE_KEEP || (spec->rotate_keep && !spec->rotate_bytes) ||
	    (spec->rotate_bytes && !strcmp(spec->path, "-"))) {
		serve_err_set(e, 400, "bad_rotation", "rotate_keep (1 to 1000) needs rotate_size, "
			      "and only files rotate", "bad rotation settings for %s", spec->path);
		return -1;
	}
	if (!strcmp(spec->format, "csv") && !s->n_inst) {
		serve_err_set(e, 409, "no_trackers", "start the trackers first: a CSV output's "
			      "columns are their fields", "a CSV output needs running trackers");
		return -1;
	}
	for (size_t i = 0; i < s->n_outs; i++)
		if (!strcmp(s->outs[i]->path, spec->path)) {
			serve_err_set(e, 409, "output_exists", "DELETE it first, or PATCH it",
				      "output %s writes to %s already", s->outs[i]->id, spec->path);
			return -1;
		}
	return 0;
}

int output_create(struct serve *s, const struct output_spec_api *spec, struct output **out,
		  struct serve_err *e)
{
	struct output *o, **grown;
	int err;

	if (check_spec(s, spec, e))
		return -1;
	o = calloc(1, sizeof(*o));
	grown = o ? reallocarray(s->outs, s->n_outs + 1, sizeof(*grown)) : NULL;
	if (!grown) {
		free(o);
		serve_err_set(e, 500, "no_memory", NULL, "out of memory");
		return -1;
	}
	s->outs = grown;
	o->sink = open_sink(s, spec, e);
	if (!o->sink) {
		free(o);
		return -1;
	}
	if ((err = eun_ctx_add_sink(s->ctx, o->sink)) < 0) {
		serve_err_set(e, 500, "output_failed", NULL, "%s", eun_last_error());
		eun_sink_free(o->sink);
		free(o);
		return -1;
	}
	o->format = strdup(spec->format);
	o->path = strdup(spec->path);
	o->rotate_bytes = spec->rotate_bytes;
	o->rotate_keep = spec->rotate_keep;
	o->append = spec->append;
	snprintf(o->id, sizeof(o->id), "o%u", ++s->next_out_id);
	s->outs[s->n_outs++] = o;
	*out = o;
	return 0;
}

int output_reconfigure(struct serve *s, struct output *o, uint64_t rotate_bytes,
		       unsigned rotate_keep, struct serve_err *e)
{
	struct output_spec_api spec = { .format = o->format, .path = o->path,
					.rotate_bytes = rotate_bytes, .rotate_keep = rotate_keep,
					.append = true };
	struct eun_sink *old = o->sink, *neu;

	if (rotate_keep > EUN_SINK_MAX_ROTATE_KEEP || (rotate_keep && !rotate_bytes) ||
	    (rotate_bytes && !strcmp(o->path, "-"))) {
		serve_err_set(e, 400, "bad_rotation", "rotate_keep (1 to 1000) needs rotate_size, "
			      "and only files rotate", "bad rotation settings for %s", o->path);
		return -1;
	}
	/* The old one writes out everything first; the new one appends after it. */
	eun_ctx_remove_sink(s->ctx, old);
	eun_sink_flush(old);
	neu = open_sink(s, &spec, e);
	if (!neu || eun_ctx_add_sink(s->ctx, neu) < 0) {
		if (neu) {
			serve_err_set(e, 500, "output_failed", NULL, "%s", eun_last_error());
			eun_sink_free(neu);
		}
		eun_ctx_add_sink(s->ctx, old);
		return -1;
	}
	eun_sink_free(old);
	o->sink = neu;
	o->rotate_bytes = rotate_bytes;
	o->rotate_keep = rotate_keep;
	return 0;
}

int output_remove(struct serve *s, struct output *o)
{
	int err;

	for (size_t i = 0; i < s->n_outs; i++)
		if (s->outs[i] == o) {
			memmove(&s->outs[i], &s->outs[i + 1], (s->n_outs - i - 1) * sizeof(*s->outs));
			s->n_outs--;
			break;
		}
	err = eun_sink_free(o->sink);
	free(o->format);
	free(o->path);
	free(o);
	return err;
}

struct output *output_find(struct serve *s, const char *id)
{
	for (size_t i = 0; i < s->n_outs; i++)
		if (!strcmp(s->outs[i]->id, id))
			return s->outs[i];
	return NULL;
}

json_t *output_json(const struct output *o)
{
	int err = eun_sink_error(o->sink);

	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:b, s:o}", "id", o->id, "format", o->format,
			 "path", o->path, "rotate_size", (json_int_t)o->rotate_bytes,
			 "rotate_keep", (json_int_t)o->rotate_keep, "append", o->append,
			 "error", err ? json_string(strerror(-err)) : json_null());
}
