/*
 * hash.c
 *	  Hashing for key groups, hash tables and exchanges: XXH3 (libxxhash).
 *	  The values are part of the state format (key group = hash % max
 *	  parallelism), so they must never change for a given input.
 *
 * INTERFACE ROUTINES
 *	  sl_hash64   XXH3-64 of bytes with a seed
 *	  sl_hash_u64 mix of one 64-bit integer
 */
#include "common/common.h"

#include <xxhash.h>

uint64_t
sl_hash64(const void *data, size_t len, uint64_t seed)
{
	return XXH3_64bits_withSeed(data, len, seed);
}

uint64_t
sl_hash_u64(uint64_t x)
{
	/* splitmix64 finalizer */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}
