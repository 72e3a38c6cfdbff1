// The model's invariant check: aborts with the TCB printed, in every build type (fuzzers see it).
#pragma once

#include "tcpconform/model/tcb.h"

namespace tcpconform::model::detail {

[[noreturn]] void invariant_failed(const char* condition, const char* file, int line,
                                   const Tcb* tcb);

}  // namespace tcpconform::model::detail

// TCPCONFORM_MODEL_ASSERT(condition, tcb_pointer_or_nullptr)
#define TCPCONFORM_MODEL_ASSERT(cond, tcb)                                                        \
  do {                                                                                            \
    if (!(cond)) ::tcpconform::model::detail::invariant_failed(#cond, __FILE__, __LINE__, (tcb)); \
  } while (false)
