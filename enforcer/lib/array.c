// SPDX-License-Identifier: GPL-2.0-only
/* array.c - array_grow() (array.h). */
#include <stdint.h>
#include <stdlib.h>

#include "array.h"

bool array_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t nc;
	void *n;

	if (need <= *cap)
		return true;
	nc = *cap ? *cap : 8;
	while (nc < need) {
		if (nc > SIZE_MAX / 2)
			return false;
		nc *= 2;
	}
	if (elem && nc > SIZE_MAX / elem)
		return false;
	n = realloc(*arr, nc * elem);
	if (!n)
		return false;
	*arr = n;
	*cap = nc;
	return true;
}
