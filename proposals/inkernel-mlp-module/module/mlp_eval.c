// SPDX-License-Identifier: GPL-2.0
/*
 * A 3-4-1 multilayer perceptron with ReLU hidden units, evaluated in
 * single precision. The weights are fixed at build time, as in-kernel ML
 * papers ship them; they encode "high load with little free memory and a
 * small page cache means pressure ahead".
 */
#include "mlp.h"

#define MLP_HIDDEN 4

static const float w1[MLP_HIDDEN][MLP_INPUTS] = {
	{ 0.80f, -1.20f, -0.60f },
	{ 0.30f, -2.00f, 0.10f },
	{ -0.50f, 0.90f, 0.70f },
	{ 1.10f, -0.40f, -1.30f },
};
static const float b1[MLP_HIDDEN] = { 0.10f, 0.60f, -0.20f, 0.05f };
static const float w2[MLP_HIDDEN] = { 0.90f, 1.40f, -1.10f, 0.70f };
static const float b2 = -0.45f;

int mlp_eval(const int features_milli[MLP_INPUTS])
{
	float x[MLP_INPUTS];
	float y = b2;
	int i, j;

	for (i = 0; i < MLP_INPUTS; i++)
		x[i] = features_milli[i] / 1000.0f;
	for (j = 0; j < MLP_HIDDEN; j++) {
		float h = b1[j];

		for (i = 0; i < MLP_INPUTS; i++)
			h += w1[j][i] * x[i];
		y += w2[j] * (h > 0.0f ? h : 0.0f);
	}
	return y > 0.0f;
}
