/*
 * key.h
 *	  Row keys as bytes: the encoding of a row's key columns that routes the
 *	  row to its key group (hash exchange) and keys its state (state/ sees
 *	  only bytes).
 *
 *	  The encoding is memcomparable: comparing two encodings with memcmp
 *	  orders the keys as SQL orders the values (NULLs first), so RocksDB
 *	  range scans follow key order. Equal values encode equally (-0.0 as
 *	  0.0, every NaN alike). Per column: 0x00 for NULL, else 0x01 and the
 *	  value — integers, dates, timestamps, intervals big-endian with the
 *	  sign bit flipped (at the type's width); DOUBLE/FLOAT as their
 *	  order-preserving bit pattern; DECIMAL as 16 bytes (the scale is the
 *	  type's); BOOLEAN one byte; strings with 0x00 escaped as 0x00 0xFF and
 *	  ended by 0x00 0x00; ROW its fields; ARRAY/MAP each element behind a
 *	  0x01 and a final 0x00.
 *
 * INTERFACE ROUTINES
 *	  sl_key_encode        append a row's key to a buffer
 *	  sl_key_decode        read a key back into a row of a chunk
 *	  sl_chunk_key_groups  key group of every live row (sl_hash64 % maxp,
 *	                       the same function as sl_state_key_group)
 */
#ifndef SL_RUNTIME_KEY_H
#define SL_RUNTIME_KEY_H

#include "runtime/chunk.h"

/* Append the key of row `row` (columns cols[0..ncols)) of c to out. */
void sl_key_encode(const sl_chunk *c, uint32_t row, const int *cols, int ncols, sl_strbuf *out);
/* Decode a key made by sl_key_encode into row `row` of dst, column cols[i]
 * of dst taking key column i (types must match the encoding's); strings
 * are copied into dst's heap. Returns the bytes consumed, or 0 if the bytes
 * are malformed. */
size_t sl_key_decode(const char *p, size_t n, sl_chunk *dst, uint32_t row, const int *cols,
                     int ncols);
/* kg[r] = key group of row r for every live row r of c (other entries
 * untouched). scratch is a reusable buffer (no allocation once grown). */
void sl_chunk_key_groups(const sl_chunk *c, const int *cols, int ncols, int maxp,
                         uint16_t *kg, sl_strbuf *scratch);

#endif /* SL_RUNTIME_KEY_H */
