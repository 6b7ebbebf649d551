/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's interface. Integer in, integer out: the caller lives in
 * ordinary kernel code, which must not see a float, and only mlp_eval.c is
 * built with the FPU enabled.
 */
#ifndef MLP_HINT_H
#define MLP_HINT_H

#define MLP_INPUTS 3

/*
 * Features in thousandths: load average, free memory fraction, page cache
 * fraction. Returns 1 when the model predicts memory pressure, else 0.
 * Must be called between kernel_fpu_begin() and kernel_fpu_end().
 */
int mlp_eval(const int features_milli[MLP_INPUTS]);

#endif
