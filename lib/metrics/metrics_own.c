/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * Metrics the embedder sets itself (eun_metrics_set()): label-less counters
 * and gauges kept beside the registry's own families, e.g. an exporter's
 * delivery counters, so that they are scraped and walked with the rest.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/metrics.h"

struct family *metrics_own_find(const struct eun_metrics *m, const char *name)
{
	for (size_t i = 0; i < m->n_own; i++)
		if (!strcmp(m->own[i]->name, name))
			return m->own[i];
	return NULL;
}

void metrics_own_free(struct eun_metrics *m)
{
	for (size_t i = 0; i < m->n_own; i++) {
		family_release(m->own[i]);
		free(m->own[i]);
	}
	free(m->own);
}

/* True if name is [a-zA-Z_][a-zA-Z0-9_]*. */
static bool name_valid(const char *name)
{
	if (!*name || (*name >= '0' && *name <= '9'))
		return false;
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_'))
			return false;
	return true;
}

/* A new family called name with one label-less series; NULL on ENOMEM. */
static struct family *own_add(struct eun_metrics *m, const char *name, const char *help,
			      enum family_kind kind)
{
	struct family *f = calloc(1, sizeof(*f)), **grown;
	int err;

	if (!f)
		return NULL;
	f->kind = kind;
	f->conv = metrics_unit_conv(NULL);
	f->name = strdup(name);
	f->help = strdup(help);
	grown = reallocarray(m->own, m->n_own + 1, sizeof(*grown));
	if (grown)
		m->own = grown;
	if (!f->name || !f->help || !grown || !family_series(f, "", 1, &err)) {
		family_release(f);
		free(f);
		return NULL;
	}
	m->own[m->n_own++] = f;
	return f;
}

/* Set name to value under m->lock. 0 or -errno with the error text set. */
static int own_set_locked(struct eun_metrics *m, const char *name, const char *help,
			  enum family_kind kind, uint64_t value)
{
	struct family *f = metrics_own_find(m, name);

	if (!f) {
		if (metrics_name_taken(m, NULL, name))
			return set_error(EINVAL, "eun_metrics_set: '%s' is a metric of the registry "
					 "itself; choose another name", name);
		f = own_add(m, name, help, kind);
		if (!f)
			return set_error(ENOMEM, "out of memory");
	}
	if (f->kind != kind)
		return set_error(EINVAL, "eun_metrics_set: '%s' was set as a %s before; a metric "
				 "keeps its kind", name, f->kind == FAM_COUNTER ? "counter" : "gauge");
	if (kind == FAM_COUNTER && value < f->series[0].value)
		return set_error(EINVAL, "eun_metrics_set: counter '%s' would go down from %llu "
				 "to %llu; a counter only grows", name,
				 (unsigned long long)f->series[0].value, (unsigned long long)value);
	f->series[0].value = value;
	return 0;
}

int eun_metrics_set(struct eun_metrics *m, const char *name, const char *help,
		    enum eun_metric_kind kind, uint64_t value)
{
	size_t len = name ? strlen(name) : 0;
	int err;

	clear_error();
	if (!m || !name || !help)
		return set_error(EINVAL, "eun_metrics_set: m, name and help must not be NULL");
	if (!name_valid(name))
		return set_error(EINVAL, "eun_metrics_set: '%s' is not a metric name; use "
				 "[a-zA-Z_][a-zA-Z0-9_]*", name);
	if (kind != EUN_METRIC_COUNTER && kind != EUN_METRIC_GAUGE)
		return set_error(EINVAL, "eun_metrics_set: '%s': kind must be EUN_METRIC_COUNTER "
				 "or EUN_METRIC_GAUGE", name);
	if (kind == EUN_METRIC_COUNTER && (len < 6 || strcmp(name + len - 6, "_total")))
		return set_error(EINVAL, "eun_metrics_set: counter '%s' must end in _total", name);
	pthread_mutex_lock(&m->lock);
	err = own_set_locked(m, name, help, kind == EUN_METRIC_COUNTER ? FAM_COUNTER : FAM_GAUGE,
			     value);
	pthread_mutex_unlock(&m->lock);
	return err;
}
