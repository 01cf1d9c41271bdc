/*
 * float_bits.h: IEEE-754 bit patterns the lowering tests use as operands and
 * expected results (NaNs with chosen payloads cannot be written as C floats).
 */
#ifndef WA_TEST_FLOAT_BITS_H
#define WA_TEST_FLOAT_BITS_H

#define F32_SNAN 0x7fa00000u /* nan:0x200000, signalling */
#define F32_NSNAN 0xffa00000u
#define F32_QNAN 0x7fc00000u /* canonical */
#define F32_NQNAN 0xffc00000u
#define F32_PAYLOAD 0x7fc12345u
#define F32_INF 0x7f800000u
#define F32_NINF 0xff800000u
#define F32_ONE 0x3f800000u
#define F32_NONE 0xbf800000u
#define F32_HALF 0x3f000000u
#define F32_NHALF 0xbf000000u
#define F32_NZERO 0x80000000u
#define F64_SNAN 0x7ff4000000000000ull /* nan:0x4000000000000, signalling */
#define F64_QNAN 0x7ff8000000000000ull
#define F64_INF 0x7ff0000000000000ull
#define F64_NINF 0xfff0000000000000ull
#define F64_ONE 0x3ff0000000000000ull
#define F64_NONE 0xbff0000000000000ull
#define F64_NZERO 0x8000000000000000ull

#endif
