/*
 * rt_abi.h: the runtime's ABI as generated code sees it, expanded from the
 * runtime's tables (runtime/wa_rt_calls.def, runtime/wa_rt_layout.def):
 *
 *   WA_RT_<NAME>               a runtime function generated code calls
 *                              (WaRtFn; WA_RT_MEMORY_GROW is wa_rt_memory_grow)
 *   WA_RT_STRUCT_<NAME>        a shared struct (WaRtStruct; WA_RT_STRUCT_MODULE is
 *                              wa_rt_module_t)
 *   WA_RT_<STRUCT>_<FIELD>     the index of a field in its struct
 *                              (WA_RT_MODULE_INIT), and WA_RT_<STRUCT>_NFIELDS
 *
 * Generated code names runtime functions and struct fields only through
 * these: the declarations and LLVM struct types are built from the same rows
 * as the runtime's C prototypes and structs.
 */
#ifndef WA_CODEGEN_RT_ABI_H
#define WA_CODEGEN_RT_ABI_H

#include "../../runtime/wa_rt.h"

#include <llvm-c/Core.h>
#include <stdint.h>

typedef enum WaRtFn {
#define WA_RT_CALL(NAME, name, RESULT, PARAMS, HOW) WA_RT_##NAME,
#include "../../runtime/wa_rt_calls.def"
#undef WA_RT_CALL
    WA_RT_NFNS
} WaRtFn;

typedef enum WaRtStruct {
#define WA_RT_STRUCT(NAME, name) WA_RT_STRUCT_##NAME,
#define WA_RT_FIELD(STRUCT, NAME, name, CTYPE, ABI)
#define WA_RT_END(NAME, name)
#include "../../runtime/wa_rt_layout.def"
#undef WA_RT_STRUCT
#undef WA_RT_FIELD
#undef WA_RT_END
    WA_RT_NSTRUCTS
} WaRtStruct;

/* Field indices, one enum per struct. */
#define WA_RT_STRUCT(NAME, name) enum {
#define WA_RT_FIELD(STRUCT, NAME, name, CTYPE, ABI) WA_RT_##STRUCT##_##NAME,
#define WA_RT_END(NAME, name)                                                                      \
    WA_RT_##NAME##_NFIELDS                                                                         \
    }                                                                                              \
    ;
#include "../../runtime/wa_rt_layout.def"
#undef WA_RT_STRUCT
#undef WA_RT_FIELD
#undef WA_RT_END

typedef struct WaCodegen WaCodegen; /* context.h */

/*
 * The declaration of runtime function `fn` in cg's module, added on first
 * use with the type its row gives (and, for a NORETURN row, the attributes
 * noreturn and cold).
 */
LLVMValueRef wa_codegen_rt_fn(WaCodegen *cg, WaRtFn fn);

/*
 * Calls runtime function `fn` at cg's builder with args (exactly as many, of
 * exactly the types its row gives: checked) and returns the call, named
 * `name`. A NOTAIL row's call is marked notail.
 */
LLVMValueRef wa_codegen_rt_call(WaCodegen *cg, WaRtFn fn, LLVMValueRef *args, unsigned nargs,
                                const char *name);

/*
 * The LLVM struct type of shared struct `s` (a literal struct type, built on
 * first use): the field types its rows give, in order.
 */
LLVMTypeRef wa_codegen_rt_struct(WaCodegen *cg, WaRtStruct s);

/* The LLVM type of field `field` of struct `s`. */
LLVMTypeRef wa_codegen_rt_field_type(WaCodegen *cg, WaRtStruct s, unsigned field);

/* The byte offset of field `field` of struct `s`, in the target's data layout. */
uint64_t wa_codegen_rt_offset(WaCodegen *cg, WaRtStruct s, unsigned field);

/* The size of struct `s` in bytes (its stride in an array), in the target's data layout. */
uint64_t wa_codegen_rt_size(WaCodegen *cg, WaRtStruct s);

/*
 * The address of field `field` of the struct `s` at `base`, built with
 * builder `b`: `base` itself for the field at offset 0, else an i8 GEP.
 */
LLVMValueRef wa_codegen_rt_field_ptr(WaCodegen *cg, LLVMBuilderRef b, LLVMValueRef base,
                                     WaRtStruct s, unsigned field);

/*
 * Loads field `field` of the struct `s` at `base`, at cg's builder, with the
 * field's type; the load is named `name`.
 */
LLVMValueRef wa_codegen_rt_load(WaCodegen *cg, LLVMValueRef base, WaRtStruct s, unsigned field,
                                const char *name);

#endif
